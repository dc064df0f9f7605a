//! The work budget: every stage of an evaluation that can grow faster than its
//! input (matching a rule, deriving findings, weighing a question) counts its
//! work in steps against a limit and stops with an error naming what exhausted
//! it, rather than running without end (docs/semantics.md, "Budgets and limits").

/// Steps each rule (all its matching and the formulas it builds, over every
/// round of the findings fixed point) and each question (its weighing) may take
/// by default. The bundled examples, tests and benchmarks stay far below it;
/// a step is a few tens of nanoseconds of work.
pub const DEFAULT_STEPS: u64 = 1 << 22;

/// Above this many terms the formula of a finding is too entangled to keep exactly.
pub const MAX_TERMS: usize = 1 << 16;

/// Distinct outcomes one distribution may hold while weighing a question.
pub const MAX_OUTCOMES: usize = 1 << 16;

/// The limits of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Steps per rule and per question.
    pub steps: u64,
    /// Terms one formula may keep.
    pub terms: usize,
    /// Outcomes one question's weighing may keep at once.
    pub outcomes: usize,
    /// Steps per question's weighing (and, when that is not exact, its
    /// bounding) when they should differ from `steps`, as in tests that bound
    /// a small case; `--budget` sets `steps` for both.
    pub weighing: Option<u64>,
}

impl Limits {
    /// Steps each question's weighing may take, and its bounding as many again.
    pub fn question_steps(&self) -> u64 {
        self.weighing.unwrap_or(self.steps)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits { steps: DEFAULT_STEPS, terms: MAX_TERMS, outcomes: MAX_OUTCOMES, weighing: None }
    }
}

/// The budget ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted;

/// Steps left for one unit of work (a rule, a question).
#[derive(Clone, Debug)]
pub struct Meter {
    left: u64,
    /// Terms a formula may keep.
    pub terms: usize,
}

impl Meter {
    pub fn new(limits: &Limits) -> Meter {
        Meter { left: limits.steps, terms: limits.terms }
    }

    /// A meter that never runs out (for tests and small internal formulas).
    pub fn unlimited() -> Meter {
        Meter { left: u64::MAX, terms: usize::MAX }
    }

    pub fn spend(&mut self, steps: u64) -> Result<(), Exhausted> {
        match self.left.checked_sub(steps) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.left = 0;
                Err(Exhausted)
            }
        }
    }

    pub fn left(&self) -> u64 {
        self.left
    }
}
