//! Survey figures: CSAT mean and NPS over the answers of a period.

use super::tables::Surveys;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurveyFigures {
    pub responses: u64,
    pub csat_mean: Option<f64>,
    /// 100 × (share of 9–10 − share of 0–6) over non-null answers.
    pub nps: Option<f64>,
}

pub fn figures(s: &Surveys, start: i64, cut: i64) -> SurveyFigures {
    let (mut n, mut csat_sum, mut csat_n, mut promoters, mut detractors, mut nps_n) =
        (0u64, 0.0, 0u64, 0u64, 0u64, 0u64);
    for i in 0..s.at.len() {
        if s.at[i] < start || s.at[i] >= cut {
            continue;
        }
        n += 1;
        if let Some(c) = s.csat[i] {
            csat_sum += c;
            csat_n += 1;
        }
        if let Some(v) = s.nps[i] {
            nps_n += 1;
            if v >= 9.0 {
                promoters += 1;
            } else if v <= 6.0 {
                detractors += 1;
            }
        }
    }
    SurveyFigures {
        responses: n,
        csat_mean: (csat_n > 0).then(|| csat_sum / csat_n as f64),
        nps: (nps_n > 0).then(|| 100.0 * (promoters as f64 - detractors as f64) / nps_n as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_passives_give_an_nps_of_zero_and_empty_periods_give_none() {
        let s = Surveys {
            at: vec![10, 20, 30],
            csat: vec![Some(4.0), None, Some(5.0)],
            nps: vec![Some(7.0), Some(8.0), None],
        };
        let f = figures(&s, 0, 100);
        assert_eq!(
            f,
            SurveyFigures {
                responses: 3,
                csat_mean: Some(4.5),
                nps: Some(0.0)
            }
        );
        assert_eq!(
            figures(&s, 100, 200),
            SurveyFigures {
                responses: 0,
                csat_mean: None,
                nps: None
            }
        );
    }
}
