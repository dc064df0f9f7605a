//! Values bound to variables and stored in facts.

use crate::date::Date;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A value in the evidence model. Numbers compare and hash by their bits after
/// normalising `-0.0`, so values can key hash indexes; NaN never enters (the
/// loader and the evaluator reject it).
#[derive(Clone, Debug)]
pub enum Value {
    Str(Arc<str>),
    Num(f64),
    Bool(bool),
    Date(Date),
    List(Arc<[Value]>),
}

impl Value {
    pub fn str(text: &str) -> Value {
        Value::Str(Arc::from(text))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Value::Bool(_) => 0,
            Value::Num(_) => 1,
            Value::Date(_) => 2,
            Value::Str(_) => 3,
            Value::List(_) => 4,
        }
    }

    fn num_bits(n: f64) -> u64 {
        normalise(n).to_bits()
    }
}

fn normalise(n: f64) -> f64 {
    if n == 0.0 {
        0.0
    } else {
        n
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Value {}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::Num(a), Value::Num(b)) => normalise(*a).total_cmp(&normalise(*b)),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) => a.iter().cmp(b.iter()),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.rank().hash(state);
        match self {
            Value::Str(s) => s.hash(state),
            Value::Num(n) => Value::num_bits(*n).hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Date(d) => d.hash(state),
            Value::List(items) => items.iter().for_each(|v| v.hash(state)),
        }
    }
}

/// Formats a number the way an analyst writes it: integers without a decimal
/// point, others with at most four significant decimals.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let text = format!("{n:.4}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        text.to_string()
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Num(n) => f.write_str(&format_number(*n)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_equals_zero_and_numbers_format_plainly() {
        assert_eq!(Value::Num(-0.0), Value::Num(0.0));
        assert_eq!(format_number(22.0), "22");
        assert_eq!(format_number(0.44898), "0.449");
        assert_eq!(format_number(1.5), "1.5");
    }
}
