//! Small sets kept as sorted vectors. Every fact row and every argument keeps
//! a few sets (what it rests on, the reports it cites, the rows it was derived
//! from) of one to three elements each, hundreds of thousands of them on a
//! large evidence set: a `BTreeSet` allocates a node of eleven slots for the
//! first element, a sorted vector only what it holds. Iteration is in order,
//! as a `BTreeSet`'s, so everything built from these sets is the same.

use std::fmt;

/// A set of ordered values, held sorted and without duplicates in one vector.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortedSet<T>(Vec<T>);

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet(Vec::new())
    }
}

impl<T: Ord> SortedSet<T> {
    /// The empty set.
    pub fn new() -> Self {
        SortedSet(Vec::new())
    }

    /// How many values it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// The values as a sorted slice.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// Whether it holds `value`.
    pub fn contains(&self, value: &T) -> bool {
        self.0.binary_search(value).is_ok()
    }

    /// Adds `value`; true when it was not there.
    pub fn insert(&mut self, value: T) -> bool {
        match self.0.binary_search(&value) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, value);
                true
            }
        }
    }

    /// Whether the two sets share no value (one merge of the sorted vectors).
    pub fn is_disjoint(&self, other: &SortedSet<T>) -> bool {
        let (mut a, mut b) = (self.0.iter().peekable(), other.0.iter().peekable());
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            match x.cmp(y) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => return false,
            }
        }
        true
    }

    /// Restores order and uniqueness after values were appended, and gives back
    /// spare capacity (these sets are built once and kept).
    fn settle(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
        self.0.shrink_to_fit();
    }
}

impl<T: Ord + Clone> SortedSet<T> {
    /// The values of either set, as a new set.
    pub fn union(&self, other: &SortedSet<T>) -> SortedSet<T> {
        self.0.iter().chain(&other.0).cloned().collect()
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        let before = self.0.len();
        self.0.extend(values);
        // Values that arrive in order after the last (the common case) need no sort.
        let in_order = self.0[before.saturating_sub(1)..].windows(2).all(|w| w[0] < w[1]);
        if !in_order {
            self.settle();
        }
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut set = SortedSet(values.into_iter().collect());
        set.settle();
        set
    }
}

impl<T: Ord, const N: usize> From<[T; N]> for SortedSet<T> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn behaves_as_a_btreeset() {
        let values = [5, 1, 3, 1, 9, 3, 0];
        let mut sorted: SortedSet<i32> = values.iter().copied().collect();
        let mut tree: BTreeSet<i32> = values.iter().copied().collect();
        assert!(sorted.iter().eq(tree.iter()));
        assert_eq!(sorted.insert(4), tree.insert(4));
        assert_eq!(sorted.insert(4), tree.insert(4));
        sorted.extend([10, 11]);
        tree.extend([10, 11]);
        sorted.extend([2, 11, -1]);
        tree.extend([2, 11, -1]);
        assert!(sorted.iter().eq(tree.iter()));
        assert_eq!(sorted.len(), tree.len());
        assert!(sorted.contains(&9) && !sorted.contains(&7));
        let other = SortedSet::from([7, 8]);
        assert!(sorted.is_disjoint(&other));
        assert!(!sorted.is_disjoint(&SortedSet::from([8, 9])));
        assert!(sorted.union(&other).iter().eq(tree.union(&BTreeSet::from([7, 8]))));
    }
}
