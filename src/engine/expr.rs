//! Evaluating checked expressions against bindings. An expression that
//! cannot be evaluated (a missing value, division by zero, a non-finite
//! result) yields `None`, and the condition that needed it does not match.

use crate::language::ast::{BinOp, CompareOp};
use crate::language::program::{Builtin, Expr};
use crate::prelude::*;

pub fn eval(expr: &Expr, bindings: &[Option<Value>]) -> Option<Value> {
    match expr {
        Expr::Const(v) => Some(v.clone()),
        Expr::Slot(s) => bindings.get(*s).cloned().flatten(),
        Expr::List(items) => {
            let values: Option<Vec<Value>> = items.iter().map(|e| eval(e, bindings)).collect();
            Some(Value::List(Rc::from(values?)))
        }
        Expr::Neg(inner) => number(-eval(inner, bindings)?.as_num()?),
        Expr::Binary(op, l, r) => {
            let a = eval(l, bindings)?.as_num()?;
            let b = eval(r, bindings)?.as_num()?;
            number(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div if b == 0.0 => return None,
                BinOp::Div => a / b,
            })
        }
        Expr::Call(builtin, args) => {
            let values: Option<Vec<Value>> = args.iter().map(|e| eval(e, bindings)).collect();
            call(*builtin, &values?)
        }
    }
}

fn number(n: f64) -> Option<Value> {
    n.is_finite().then_some(Value::Num(n))
}

fn call(builtin: Builtin, args: &[Value]) -> Option<Value> {
    let num = |i: usize| args.get(i).and_then(Value::as_num);
    let date = |i: usize| match args.get(i) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    match builtin {
        Builtin::Days => number(f64::from(date(1)?.0 - date(0)?.0)),
        Builtin::AnniversaryGap => number(f64::from(date(0)?.anniversary_gap(date(1)?))),
        Builtin::Abs => number(num(0)?.abs()),
        Builtin::Min => number(num(0)?.min(num(1)?)),
        Builtin::Max => number(num(0)?.max(num(1)?)),
        Builtin::Log10 if num(0)? > 0.0 => number(num(0)?.log10()),
        Builtin::Pow10 => number(10f64.powf(num(0)?)),
        Builtin::Sqrt if num(0)? >= 0.0 => number(num(0)?.sqrt()),
        Builtin::Log10 | Builtin::Sqrt => None,
        Builtin::Len => match args.first()? {
            Value::List(items) => number(items.len() as f64),
            _ => None,
        },
        Builtin::Date => match args.first()? {
            Value::Str(s) => Date::parse(s).map(Value::Date),
            Value::Date(d) => Some(Value::Date(*d)),
            _ => None,
        },
    }
}

/// Compares two values; values of different kinds are never ordered.
pub fn compare(op: CompareOp, a: &Value, b: &Value) -> bool {
    use std::mem::discriminant;
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::In => matches!(b, Value::List(items) if items.contains(a)),
        CompareOp::NotIn => matches!(b, Value::List(items) if !items.contains(a)),
        _ if discriminant(a) != discriminant(b) => false,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}
