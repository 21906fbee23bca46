//! How messages list things: "`a`, `b` and 3 more". Shared by the rules and the readers whose
//! findings name several things.

/// Hosts a grouped host finding names in its message.
pub const HOSTS_NAMED: usize = 5;

/// An English list of at most `cap` items, then how many were left out: "a", "a and b",
/// "a, b and c", "a, b, c and 4 more".
pub fn join_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>, cap: usize) -> String {
    shown_list(items, cap, |s| s.as_ref().to_owned())
}

/// Names in backticks, at most `cap` of them, then how many more: "`a`, `b` and 3 more".
pub fn name_list<S: AsRef<str>>(names: impl IntoIterator<Item = S>, cap: usize) -> String {
    shown_list(names, cap, |n| format!("`{}`", n.as_ref()))
}

/// The first `cap` items as `show` words them and how many more there are; the items past the
/// cap are only counted (a list of a thousand networks names three).
fn shown_list<S>(
    items: impl IntoIterator<Item = S>,
    cap: usize,
    show: impl Fn(S) -> String,
) -> String {
    let mut items = items.into_iter();
    let mut shown: Vec<String> = items.by_ref().take(cap.max(1)).map(show).collect();
    let more = items.count();
    let tail = if more > 0 {
        format!("{more} more")
    } else {
        match shown.pop() {
            Some(last) => last,
            None => return String::new(),
        }
    };
    if shown.is_empty() {
        tail
    } else {
        format!("{} and {tail}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_up_to_the_cap() {
        assert_eq!(name_list(Vec::<&str>::new(), 5), "");
        assert_eq!(name_list(["a"], 5), "`a`");
        assert_eq!(name_list(["a", "b", "c"], 5), "`a`, `b` and `c`");
        assert_eq!(
            name_list(["a", "b", "c", "d", "e", "f", "g"], 5),
            "`a`, `b`, `c`, `d`, `e` and 2 more"
        );
    }
}
