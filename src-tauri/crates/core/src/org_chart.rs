//! The org chart's layout from reports-to, as a pure and deterministic function: each manager is
//! centred over their reports, each branch takes its own columns (boxes never overlap), people
//! with no manager and no reports wait apart in a grid to be placed. Large charts start with
//! their branches collapsed below the first level.

use std::collections::{HashMap, HashSet};

use crate::model::{Contact, Influence, OrgChart, OrgNode};

/// A chart with more people than this starts collapsed below the first level.
pub const COLLAPSE_ABOVE: usize = 40;
/// People not placed yet, per row of their grid.
const GRID_COLUMNS: usize = 8;

fn rank(p: &Contact) -> (u8, &str, &str) {
    let influence = match p.influence {
        Some(Influence::High) => 0,
        Some(Influence::Medium) => 1,
        Some(Influence::Low) => 2,
        None => 3,
    };
    (influence, p.name.as_str(), p.id.as_str())
}

struct Tree<'a> {
    people: &'a [Contact],
    reports: Vec<Vec<usize>>,
    collapsed: HashSet<usize>,
    nodes: Vec<Option<OrgNode>>,
    next_column: f64,
    depth: usize,
}

impl Tree<'_> {
    fn size(&self, i: usize) -> u32 {
        1 + self.reports[i].iter().map(|&r| self.size(r)).sum::<u32>()
    }

    /// Places `i` and its visible branch from the next free column; returns its centre.
    fn place(&mut self, i: usize, depth: usize, manager: Option<usize>) -> f64 {
        self.depth = self.depth.max(depth);
        let open = !self.collapsed.contains(&i);
        let reports = self.reports[i].clone();
        let x = if open && !reports.is_empty() {
            let xs: Vec<f64> = reports.iter().map(|&r| self.place(r, depth + 1, Some(i))).collect();
            (xs[0] + xs[xs.len() - 1]) / 2.0
        } else {
            self.next_column += 1.0;
            self.next_column - 0.5
        };
        let hidden = if open { 0 } else { self.size(i) - 1 };
        self.nodes[i] = Some(OrgNode {
            contact_id: self.people[i].id.clone(),
            x,
            y: depth as f64,
            manager_id: manager.map(|m| self.people[m].id.clone()),
            reports: reports.len() as u32,
            hidden,
            placed: true,
        });
        x
    }
}

/// Lays out `people`; `collapsed` names the branches to fold (contact ids), `None` for the
/// default (folded below the first level when the chart is large).
pub fn layout(people: &[Contact], collapsed: Option<&[String]>) -> OrgChart {
    let mut order: Vec<usize> = (0..people.len()).collect();
    order.sort_by(|&a, &b| rank(&people[a]).cmp(&rank(&people[b])));
    let index: HashMap<&str, usize> = people.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let manager_of = |i: usize| people[i].reports_to.as_deref().and_then(|m| index.get(m).copied()).filter(|m| *m != i);
    let mut reports: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    for &i in &order {
        if let Some(m) = manager_of(i) {
            reports[m].push(i);
        }
    }
    // Roots: no manager; then, should reports-to ever loop, the first person of each loop.
    let mut reached = vec![false; people.len()];
    let mut roots: Vec<usize> = Vec::new();
    for pass in 0..2 {
        for &i in &order {
            if reached[i] || (pass == 0 && manager_of(i).is_some()) {
                continue;
            }
            roots.push(i);
            let mut stack = vec![i];
            while let Some(n) = stack.pop() {
                if !std::mem::replace(&mut reached[n], true) {
                    stack.extend(reports[n].iter().copied().filter(|r| !reached[*r]));
                }
            }
        }
    }
    // Cut the edge that closes a loop, so each branch is a tree.
    for &root in &roots {
        reports.iter_mut().for_each(|r| r.retain(|&x| x != root));
    }
    let (trees, alone): (Vec<usize>, Vec<usize>) = roots.into_iter().partition(|&r| !reports[r].is_empty());

    let tops: HashSet<usize> = trees.iter().copied().collect();
    let folded: HashSet<usize> = match collapsed {
        Some(ids) => ids.iter().filter_map(|id| index.get(id.as_str()).copied()).collect(),
        None if people.len() > COLLAPSE_ABOVE => {
            (0..people.len()).filter(|&i| !reports[i].is_empty() && !tops.contains(&i)).collect()
        }
        None => HashSet::new(),
    };
    let mut tree =
        Tree { people, reports, collapsed: folded, nodes: vec![None; people.len()], next_column: 0.0, depth: 0 };
    for &root in &trees {
        tree.place(root, 0, None);
    }
    let tree_width = tree.next_column;
    let grid_top = if trees.is_empty() { 0.0 } else { tree.depth as f64 + 1.5 };
    for (n, &i) in alone.iter().enumerate() {
        tree.nodes[i] = Some(OrgNode {
            contact_id: people[i].id.clone(),
            x: (n % GRID_COLUMNS) as f64 + 0.5,
            y: grid_top + (n / GRID_COLUMNS) as f64,
            manager_id: None,
            reports: 0,
            hidden: 0,
            placed: false,
        });
    }
    let grid_width = alone.len().min(GRID_COLUMNS) as f64;
    let grid_rows = alone.len().div_ceil(GRID_COLUMNS) as f64;
    let mut collapsed: Vec<String> = tree.collapsed.iter().map(|&i| people[i].id.clone()).collect();
    collapsed.sort();
    let nodes: Vec<OrgNode> = order.iter().filter_map(|&i| tree.nodes[i].take()).collect();
    OrgChart {
        width: tree_width.max(grid_width),
        height: if alone.is_empty() { tree.depth as f64 + 1.0 } else { grid_top + grid_rows },
        nodes,
        collapsed,
    }
}

/// Whether making `manager` the manager of `person` would close a loop in reports-to.
pub fn would_loop(people: &[Contact], person: &str, manager: &str) -> bool {
    let managers: HashMap<&str, &str> =
        people.iter().filter_map(|p| Some((p.id.as_str(), p.reports_to.as_deref()?))).collect();
    let mut at = Some(manager);
    let mut steps = 0;
    while let Some(id) = at {
        if id == person || steps > people.len() {
            return true;
        }
        at = managers.get(id).copied();
        steps += 1;
    }
    false
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::ContactRole;

    pub(crate) fn person(id: &str, manager: Option<&str>) -> Contact {
        let at = "2026-11-01T00:00:00Z".parse().expect("instant");
        Contact {
            id: id.into(),
            account_id: "a".into(),
            name: id.to_uppercase(),
            email: None,
            title: None,
            phone: None,
            role: ContactRole::User,
            left_on: None,
            reports_to: manager.map(Into::into),
            influence: None,
            stance: None,
            deal_roles: Vec::new(),
            private_notes: String::new(),
            created_at: at,
            updated_at: at,
        }
    }

    fn at(chart: &OrgChart, id: &str) -> (f64, f64) {
        let n = chart.nodes.iter().find(|n| n.contact_id == id).expect("node");
        (n.x, n.y)
    }

    #[test]
    fn managers_sit_over_their_reports_and_loners_wait_apart() {
        let people = vec![
            person("ceo", None),
            person("cfo", Some("ceo")),
            person("cto", Some("ceo")),
            person("dev", Some("cto")),
            person("temp", None),
        ];
        let chart = layout(&people, None);
        assert_eq!(at(&chart, "cfo"), (0.5, 1.0));
        assert_eq!(at(&chart, "dev"), (1.5, 2.0));
        assert_eq!(at(&chart, "cto"), (1.5, 1.0));
        assert_eq!(at(&chart, "ceo"), (1.0, 0.0));
        let temp = chart.nodes.iter().find(|n| n.contact_id == "temp").expect("temp");
        assert!(!temp.placed && temp.y > 2.0, "{temp:?}");
        assert_eq!(layout(&people, None), chart, "same input, same picture");
        let mut shuffled = people.clone();
        shuffled.reverse();
        assert_eq!(layout(&shuffled, None), chart, "input order does not matter");
    }

    #[test]
    fn no_two_boxes_share_a_place_and_collapsed_branches_count_who_is_hidden() {
        let mut people = vec![person("p0", None)];
        for i in 1..300 {
            people.push(person(&format!("p{i}"), Some(&format!("p{}", (i - 1) / 4))));
        }
        let chart = layout(&people, None);
        assert!(chart.nodes.len() < 30, "a large chart starts folded: {}", chart.nodes.len());
        let p1 = chart.nodes.iter().find(|n| n.contact_id == "p1").expect("p1");
        assert_eq!(p1.hidden, 84, "p1's branch");
        let open = layout(&people, Some(&[]));
        assert_eq!(open.nodes.len(), 300);
        let mut places: Vec<(i64, i64)> = open.nodes.iter().map(|n| ((n.x * 2.0) as i64, n.y as i64)).collect();
        places.sort_unstable();
        places.dedup();
        assert_eq!(places.len(), 300);
    }

    #[test]
    fn a_loop_is_cut_and_detected() {
        let people = vec![person("a", Some("c")), person("b", Some("a")), person("c", Some("b"))];
        assert_eq!(layout(&people, None).nodes.len(), 3, "everyone is drawn");
        let tidy = vec![person("a", None), person("b", Some("a")), person("c", Some("b"))];
        assert!(would_loop(&tidy, "a", "c"));
        assert!(would_loop(&tidy, "a", "a"));
        assert!(!would_loop(&tidy, "c", "a"));
    }
}
