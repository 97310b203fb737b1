//! Health scoring as a pure function: scorecard + inputs + day → score with its explanation.
//! Each measure maps its raw value to 0–100 through thresholds; measures without data are left
//! out and the rest re-weighted; the contributions add up to the score (domain.md §3).

use chrono::NaiveDate;

use crate::model::{
    Band, Cadence, Contribution, Driver, HealthScore, InputStatus, Measure, MeasureConfig, NotScored, Scorecard,
    Segment, SignalKind, Threshold, DEFAULT_MIN_COVERAGE,
};

/// The latest value of one signal as of the scoring day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub value: f64,
    pub recorded_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

/// Everything scoring needs to know about one account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthInputs {
    pub segment: Option<Segment>,
    pub licences_purchased: Option<i64>,
    pub last_touch_on: Option<NaiveDate>,
    /// 2: an active executive sponsor; 1: only a champion; 0: neither. None while no active
    /// contact has a role yet (people synced from a CRM): unknown, not "no sponsor".
    pub relationship: Option<u8>,
    /// Latest reading per signal kind, indexed by `SignalKind as usize`.
    pub readings: [Option<Reading>; SignalKind::ALL.len()],
}

impl HealthInputs {
    pub fn reading(&self, kind: SignalKind) -> Option<Reading> {
        self.readings[kind as usize]
    }

    pub fn set(&mut self, kind: SignalKind, reading: Reading) {
        self.readings[kind as usize] = Some(reading);
    }
}

/// The default scorecard: weights and thresholds from domain.md §3–4, editable in Settings.
pub fn default_scorecard() -> Scorecard {
    let t = |points: &[(f64, f64)]| points.iter().map(|&(raw, score)| Threshold { raw, score }).collect();
    let m =
        |measure, weight, thresholds, stale_after_days| MeasureConfig { measure, weight, thresholds, stale_after_days };
    Scorecard {
        measures: vec![
            m(Measure::Adoption, 25, t(&[(0.0, 0.0), (40.0, 40.0), (70.0, 80.0), (90.0, 100.0)]), 45),
            m(Measure::Support, 10, t(&[(0.0, 100.0), (3.0, 80.0), (10.0, 30.0), (20.0, 0.0)]), 30),
            m(Measure::CriticalTickets, 10, t(&[(0.0, 100.0), (1.0, 40.0), (3.0, 0.0)]), 30),
            m(Measure::Survey, 10, t(&[(0.0, 0.0), (6.0, 30.0), (7.0, 65.0), (9.0, 100.0)]), 180),
            m(Measure::Engagement, 15, t(&[(0.0, 100.0), (1.0, 85.0), (2.0, 35.0), (3.0, 0.0)]), 0),
            m(Measure::Relationship, 10, t(&[(0.0, 0.0), (1.0, 50.0), (2.0, 100.0)]), 0),
            m(Measure::Commercial, 10, t(&[(0.0, 100.0), (30.0, 60.0), (60.0, 20.0), (90.0, 0.0)]), 45),
            m(Measure::Sentiment, 10, t(&[(1.0, 0.0), (3.0, 50.0), (5.0, 100.0)]), 30),
        ],
        red_below: 50,
        green_above: 75,
        cadence_days: Cadence { high_touch: 14, low_touch: 30, tech_touch: 90 },
        min_coverage: DEFAULT_MIN_COVERAGE,
    }
}

pub fn band(card: &Scorecard, score: u32) -> Band {
    if score < card.red_below {
        Band::Red
    } else if score > card.green_above {
        Band::Green
    } else {
        Band::Yellow
    }
}

/// Maps a raw value to 0–100 by linear interpolation between thresholds (ordered by raw).
pub fn map(thresholds: &[Threshold], raw: f64) -> f64 {
    let (Some(first), Some(last)) = (thresholds.first(), thresholds.last()) else { return 0.0 };
    if raw <= first.raw {
        return first.score;
    }
    if raw >= last.raw {
        return last.score;
    }
    for pair in thresholds.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if raw <= b.raw {
            return a.score + (b.score - a.score) * (raw - a.raw) / (b.raw - a.raw);
        }
    }
    last.score
}

fn cadence_for(cadence: &Cadence, segment: Option<Segment>) -> u32 {
    cadence.for_segment(segment.unwrap_or(Segment::LowTouch)).max(1)
}

/// A measure's raw value with the day it was observed (None when derived live), or why not.
enum Raw {
    Value(f64, Option<NaiveDate>),
    Expired(NaiveDate),
    Missing,
}

fn raw_value(card: &Scorecard, measure: Measure, inputs: &HealthInputs, today: NaiveDate) -> Raw {
    let signal = |kind| match inputs.reading(kind) {
        Some(r) => Raw::Value(r.value, Some(r.recorded_on)),
        None => Raw::Missing,
    };
    match measure {
        Measure::Adoption => match (inputs.reading(SignalKind::LicencesUsed), inputs.licences_purchased) {
            (Some(used), Some(bought)) if bought > 0 => {
                Raw::Value(used.value / bought as f64 * 100.0, Some(used.recorded_on))
            }
            _ => Raw::Missing,
        },
        Measure::Support => signal(SignalKind::TicketsOpen),
        Measure::CriticalTickets => signal(SignalKind::CriticalTicketsOpen),
        Measure::Survey => signal(SignalKind::Nps),
        Measure::Commercial => signal(SignalKind::InvoiceOverdueDays),
        Measure::Relationship => match inputs.relationship {
            Some(level) => Raw::Value(f64::from(level), None),
            None => Raw::Missing,
        },
        Measure::Engagement => match inputs.last_touch_on {
            Some(touched) => {
                let days = (today - touched).num_days().max(0) as f64;
                Raw::Value(days / f64::from(cadence_for(&card.cadence_days, inputs.segment)), None)
            }
            None => Raw::Missing,
        },
        Measure::Sentiment => match inputs.reading(SignalKind::Sentiment) {
            Some(r) if r.expires_on.is_some_and(|e| e < today) => Raw::Expired(r.recorded_on),
            Some(r) => Raw::Value(r.value, Some(r.recorded_on)),
            None => Raw::Missing,
        },
    }
}

/// Scores one account: `Err` says what is missing when the measures with data carry less than
/// the scorecard's `min_coverage` of its weight (one measure alone never makes an account red).
pub fn assess(card: &Scorecard, inputs: &HealthInputs, today: NaiveDate) -> Result<HealthScore, NotScored> {
    let mut contributions: Vec<Contribution> =
        card.measures.iter().map(|config| contribution(card, config, inputs, today)).collect();
    let present_weight: u32 = contributions.iter().filter(|c| c.mapped.is_some()).map(|c| c.weight).sum();
    let total_weight: u32 = contributions.iter().map(|c| c.weight).sum();
    let coverage = (present_weight * 100).checked_div(total_weight).unwrap_or(0);
    if present_weight == 0 || coverage < card.min_coverage {
        let mut missing: Vec<&Contribution> =
            contributions.iter().filter(|c| c.mapped.is_none() && c.weight > 0).collect();
        missing.sort_by_key(|c| std::cmp::Reverse(c.weight));
        let missing = missing.into_iter().map(|c| c.measure).collect();
        return Err(NotScored { coverage, required: card.min_coverage, missing });
    }
    let mut total = 0.0;
    for c in &mut contributions {
        if let Some(mapped) = c.mapped {
            c.effective_weight = f64::from(c.weight) * 100.0 / f64::from(present_weight);
            c.points = mapped * c.effective_weight / 100.0;
            total += c.points;
        }
    }
    let score = total.round().clamp(0.0, 100.0) as u32;
    Ok(HealthScore { score, band: band(card, score), contributions })
}

/// Scores one account; `None` when it is not scored yet (see `assess`).
pub fn score(card: &Scorecard, inputs: &HealthInputs, today: NaiveDate) -> Option<HealthScore> {
    assess(card, inputs, today).ok()
}

fn contribution(card: &Scorecard, config: &MeasureConfig, inputs: &HealthInputs, today: NaiveDate) -> Contribution {
    let base = Contribution {
        measure: config.measure,
        raw: None,
        mapped: None,
        weight: config.weight,
        effective_weight: 0.0,
        points: 0.0,
        status: InputStatus::Missing,
        age_days: None,
    };
    match raw_value(card, config.measure, inputs, today) {
        Raw::Missing => base,
        Raw::Expired(on) => {
            Contribution { status: InputStatus::Expired, age_days: Some((today - on).num_days()), ..base }
        }
        Raw::Value(raw, observed_on) => {
            let age_days = observed_on.map(|on| (today - on).num_days().max(0));
            let stale =
                config.stale_after_days > 0 && age_days.is_some_and(|age| age > i64::from(config.stale_after_days));
            let usable = config.weight > 0 && raw.is_finite();
            Contribution {
                raw: Some(raw),
                mapped: usable.then(|| map(&config.thresholds, raw)),
                status: if stale { InputStatus::Stale } else { InputStatus::Fresh },
                age_days,
                ..base
            }
        }
    }
}

/// Each measure's mapped 0–100 value in a score (measures without data left out), as kept with
/// the daily snapshot so later changes can be explained against it.
pub fn mapped(health: &HealthScore) -> Vec<(Measure, f64)> {
    health.contributions.iter().filter_map(|c| c.mapped.map(|m| (c.measure, m))).collect()
}

/// What moved the score since `before` (mapped values of an earlier snapshot): for each measure
/// whose value changed, today's score minus the score it would have with that measure as before.
/// Largest effect first; a measure that gained or lost data counts as changed.
pub fn drivers(now: &HealthScore, before: &[(Measure, f64)]) -> Vec<Driver> {
    let was = |m: Measure| before.iter().find(|(b, _)| *b == m).map(|(_, v)| *v);
    let score_with = |replaced: Measure, value: Option<f64>| {
        let (mut weighted, mut weights) = (0.0, 0.0);
        for c in &now.contributions {
            let mapped = if c.measure == replaced { value } else { c.mapped };
            if let Some(m) = mapped {
                weighted += m * f64::from(c.weight);
                weights += f64::from(c.weight);
            }
        }
        if weights > 0.0 {
            weighted / weights
        } else {
            0.0
        }
    };
    let exact = now.contributions.iter().map(|c| c.points).sum::<f64>();
    let mut moves: Vec<Driver> = now
        .contributions
        .iter()
        .filter(|c| match (c.mapped, was(c.measure)) {
            (Some(a), Some(b)) => (a - b).abs() >= 0.01,
            (None, None) => false,
            _ => true,
        })
        .map(|c| Driver { measure: c.measure, points: exact - score_with(c.measure, was(c.measure)) })
        .filter(|d| d.points.abs() >= 0.05)
        .collect();
    moves.sort_by(|a, b| b.points.abs().total_cmp(&a.points.abs()));
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("day")
    }

    fn reading(value: f64, on: NaiveDate) -> Reading {
        Reading { value, recorded_on: on, expires_on: None }
    }

    fn healthy() -> HealthInputs {
        let mut inputs = HealthInputs {
            segment: Some(Segment::HighTouch),
            licences_purchased: Some(100),
            last_touch_on: Some(day(20)),
            relationship: Some(2),
            ..Default::default()
        };
        inputs.set(SignalKind::LicencesUsed, reading(92.0, day(15)));
        inputs.set(SignalKind::TicketsOpen, reading(0.0, day(15)));
        inputs.set(SignalKind::CriticalTicketsOpen, reading(0.0, day(15)));
        inputs.set(SignalKind::Nps, reading(9.0, day(1)));
        inputs.set(SignalKind::InvoiceOverdueDays, reading(0.0, day(15)));
        inputs.set(SignalKind::Sentiment, Reading { value: 5.0, recorded_on: day(15), expires_on: Some(day(30)) });
        inputs
    }

    #[test]
    fn a_healthy_account_is_green_and_contributions_add_up() {
        let health = score(&default_scorecard(), &healthy(), day(22)).expect("score");
        assert_eq!(health.band, Band::Green);
        assert!(health.score >= 95, "{}", health.score);
        let sum: f64 = health.contributions.iter().map(|c| c.points).sum();
        assert!((sum - f64::from(health.score)).abs() <= 0.5);
    }

    #[test]
    fn missing_measures_are_left_out_and_the_rest_reweighted() {
        // With no coverage threshold, two measures are enough for a score.
        let card = Scorecard { min_coverage: 0, ..default_scorecard() };
        let inputs = HealthInputs { relationship: Some(2), last_touch_on: Some(day(22)), ..Default::default() };
        let health = score(&card, &inputs, day(22)).expect("score");
        let used: Vec<_> = health.contributions.iter().filter(|c| c.mapped.is_some()).collect();
        assert_eq!(used.len(), 2, "relationship and engagement");
        let weights: f64 = used.iter().map(|c| c.effective_weight).sum();
        assert!((weights - 100.0).abs() < 1e-9);
        assert_eq!(health.score, 100);
        let missing = health.contributions.iter().filter(|c| c.status == InputStatus::Missing).count();
        assert_eq!(missing, 6);
    }

    #[test]
    fn too_little_data_is_not_scored_and_says_what_is_missing() {
        let card = default_scorecard();
        // A freshly synced account: people without roles, nothing else known.
        let synced = HealthInputs::default();
        let why = assess(&card, &synced, day(22)).expect_err("not scored");
        assert_eq!((why.coverage, why.required), (0, 50));
        assert_eq!(why.missing[0], Measure::Adoption, "largest weight first");
        assert!(why.missing.contains(&Measure::Relationship), "no roles yet: relationship unknown");

        // "No sponsor" alone, or with a touch (25 % of the weight), is still not enough to score.
        let thin = HealthInputs { relationship: Some(0), last_touch_on: Some(day(22)), ..Default::default() };
        assert_eq!(assess(&card, &thin, day(22)).expect_err("not scored").coverage, 25);

        // Adoption added: half the weight has data, and the account is scored.
        let mut enough = thin.clone();
        enough.licences_purchased = Some(100);
        enough.set(SignalKind::LicencesUsed, reading(80.0, day(20)));
        assert!(score(&card, &enough, day(22)).is_some());

        // The threshold is the scorecard's: at 0 a single measure scores.
        let lenient = Scorecard { min_coverage: 0, ..card };
        assert_eq!(score(&lenient, &thin, day(22)).map(|h| h.score), Some(60));
    }

    #[test]
    fn old_inputs_are_flagged_stale_and_expired_sentiment_is_left_out() {
        let mut inputs = healthy();
        inputs.set(SignalKind::TicketsOpen, reading(1.0, day(1) - chrono::Days::new(60)));
        let health = score(&default_scorecard(), &inputs, day(22)).expect("score");
        let support = health.contributions.iter().find(|c| c.measure == Measure::Support).expect("support");
        assert_eq!((support.status, support.age_days), (InputStatus::Stale, Some(81)));
        assert!(support.mapped.is_some(), "stale still counts, flagged");

        let later = score(&default_scorecard(), &healthy(), day(30) + chrono::Days::new(1)).expect("score");
        let sentiment = later.contributions.iter().find(|c| c.measure == Measure::Sentiment).expect("sentiment");
        assert_eq!(sentiment.status, InputStatus::Expired);
        assert_eq!(sentiment.mapped, None);
    }

    #[test]
    fn engagement_compares_days_since_touch_with_the_segment_cadence() {
        let mut inputs = HealthInputs { last_touch_on: Some(day(1)), ..Default::default() };
        let card = Scorecard { min_coverage: 0, ..default_scorecard() };
        inputs.segment = Some(Segment::HighTouch); // 21 days against 14: past cadence
        let high = score(&card, &inputs, day(22)).expect("score");
        inputs.segment = Some(Segment::TechTouch); // 21 days against 90: fine
        let tech = score(&card, &inputs, day(22)).expect("score");
        let engagement =
            |h: &HealthScore| h.contributions.iter().find(|c| c.measure == Measure::Engagement).and_then(|c| c.mapped);
        assert!(engagement(&high) < engagement(&tech));
        assert_eq!(high.contributions.iter().find(|c| c.measure == Measure::Engagement).and_then(|c| c.raw), Some(1.5));
    }

    #[test]
    fn a_low_sentiment_is_the_driver_of_the_drop() {
        let card = default_scorecard();
        let before = score(&card, &healthy(), day(22)).expect("before");
        let mut worried = healthy();
        worried.set(SignalKind::Sentiment, Reading { value: 1.0, recorded_on: day(22), expires_on: Some(day(30)) });
        let after = score(&card, &worried, day(22)).expect("after");
        assert!(after.score < before.score);
        assert_eq!(drivers(&after, &mapped(&before))[0].measure, Measure::Sentiment);

        // A sentiment recorded where there was none is still the driver of the drop.
        let mut unknown = healthy();
        unknown.readings[SignalKind::Sentiment as usize] = None;
        let before = score(&card, &unknown, day(22)).expect("before");
        let drops = drivers(&after, &mapped(&before));
        assert_eq!(drops[0].measure, Measure::Sentiment, "{drops:?}");
        assert!(drops[0].points < -5.0);
    }

    #[test]
    fn mapping_interpolates_and_clamps() {
        let t = &default_scorecard().measures[0].thresholds; // adoption
        assert_eq!(map(t, -5.0), 0.0);
        assert_eq!(map(t, 55.0), 60.0);
        assert_eq!(map(t, 150.0), 100.0);
    }

    #[test]
    fn properties_hold_over_many_generated_inputs() {
        // A small deterministic generator instead of a property-testing crate: thousands of cases.
        let card = default_scorecard();
        let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D_u64);
        for _ in 0..5_000 {
            let mut inputs = HealthInputs {
                segment: Some(Segment::ALL[next(3) as usize]),
                licences_purchased: Some(next(500) as i64),
                last_touch_on: (next(4) > 0).then(|| day(22) - chrono::Days::new(next(200))),
                relationship: Some(next(3) as u8),
                ..Default::default()
            };
            for kind in SignalKind::ALL {
                if next(3) > 0 {
                    let on = day(22) - chrono::Days::new(next(400));
                    inputs.set(
                        kind,
                        Reading {
                            value: next(600) as f64,
                            recorded_on: on,
                            expires_on: Some(on + chrono::Days::new(30)),
                        },
                    );
                }
            }
            let Some(health) = score(&card, &inputs, day(22)) else { continue };
            assert!(health.score <= 100);
            let sum: f64 = health.contributions.iter().map(|c| c.points).sum();
            assert!((sum - f64::from(health.score)).abs() <= 0.5 + 1e-9, "{sum} vs {}", health.score);
            assert_eq!(health.band, band(&card, health.score));

            // Monotone: more open tickets never raises the score; more licences used never lowers it.
            let mut worse = inputs.clone();
            let tickets = inputs.reading(SignalKind::TicketsOpen).map_or(0.0, |r| r.value);
            worse.set(SignalKind::TicketsOpen, reading(tickets + 5.0, day(22)));
            let mut better = inputs.clone();
            let used = inputs.reading(SignalKind::LicencesUsed).map_or(0.0, |r| r.value);
            better.set(SignalKind::LicencesUsed, reading(used + 10.0, day(22)));
            if inputs.reading(SignalKind::TicketsOpen).is_some() {
                assert!(score(&card, &worse, day(22)).expect("worse").score <= health.score);
            }
            if inputs.reading(SignalKind::LicencesUsed).is_some() {
                assert!(score(&card, &better, day(22)).expect("better").score >= health.score);
            }
        }
    }
}
