//! The arithmetic every chart shares: the plot frame inside a chart's
//! viewBox, linear and logarithmic scales from data to SVG units, the
//! ticks of a log axis, and a polyline's points. Pure, so it is tested
//! natively; `kit` draws with it.

/// A chart's viewBox and the margins around its plot area, in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub(crate) w: f64,
    pub(crate) h: f64,
    pub(crate) left: f64,
    pub(crate) bottom: f64,
    pub(crate) top: f64,
    pub(crate) right: f64,
}

impl Frame {
    /// The `viewBox` attribute.
    pub(crate) fn view_box(&self) -> String {
        format!("0 0 {} {}", self.w, self.h)
    }

    /// The plot area's left and right edges.
    pub(crate) fn x_range(&self) -> (f64, f64) {
        (self.left, self.w - self.right)
    }

    /// The plot area's bottom and top edges (SVG's y grows downwards).
    pub(crate) fn y_range(&self) -> (f64, f64) {
        (self.h - self.bottom, self.top)
    }

    /// The plot area's bottom edge, where the x axis sits.
    pub(crate) fn floor(&self) -> f64 {
        self.h - self.bottom
    }
}

/// A map from data values to SVG positions along one axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    /// The data domain, as exponents of `log` when it is a log scale.
    lo: f64,
    hi: f64,
    /// Where `lo` and `hi` land.
    from: f64,
    to: f64,
    /// The base of a log scale; `None` for a linear one.
    log: Option<f64>,
}

impl Scale {
    /// `lo..hi` onto `range` (`(start, end)`, in SVG units).
    pub(crate) fn linear(lo: f64, hi: f64, range: (f64, f64)) -> Self {
        Scale { lo, hi, from: range.0, to: range.1, log: None }
    }

    /// `base^lo ..= base^hi` onto `range`, evenly by exponent.
    pub(crate) fn log(base: f64, lo: f64, hi: f64, range: (f64, f64)) -> Self {
        Scale { lo, hi, from: range.0, to: range.1, log: Some(base) }
    }

    /// Where `v` lands. Values a log scale cannot place (zero, negative)
    /// are placed at its smallest power shown.
    pub(crate) fn at(&self, v: f64) -> f64 {
        let d = match self.log {
            Some(base) if v > 0.0 => v.log(base),
            Some(_) => self.lo,
            None => v,
        };
        let span = self.hi - self.lo;
        let t = if span != 0.0 { (d - self.lo) / span } else { 0.0 };
        self.from + t * (self.to - self.from)
    }

    /// A log scale's ticks: every power of its base it spans. Empty for
    /// a linear scale.
    pub(crate) fn powers(&self) -> Vec<f64> {
        match self.log {
            Some(base) => (self.lo.round() as i32..=self.hi.round() as i32).map(|e| base.powf(f64::from(e))).collect(),
            None => Vec::new(),
        }
    }
}

/// The whole powers of `base` around `values`: the floor of the smallest
/// exponent and the ceiling of the largest, at least `min_span` apart.
/// `None` when no value is positive.
pub(crate) fn log_bounds(values: impl IntoIterator<Item = f64>, base: f64, min_span: f64) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| *v > 0.0)
        .map(|v| v.log(base))
        .fold(None, |acc: Option<(f64, f64)>, e| Some(acc.map_or((e, e), |(a, b)| (a.min(e), b.max(e)))))?;
    let lo = lo.floor();
    Some((lo, hi.ceil().max(lo + min_span)))
}

/// A polyline's `points`: "x,y x,y …" to a tenth of a unit.
pub(crate) fn points(xy: impl IntoIterator<Item = (f64, f64)>) -> String {
    xy.into_iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame { w: 560.0, h: 300.0, left: 46.0, bottom: 36.0, top: 12.0, right: 16.0 };

    #[test]
    fn a_linear_scale_maps_its_domain_onto_the_plot() {
        let x = Scale::linear(0.0, 8.0, FRAME.x_range());
        assert_eq!((x.at(0.0), x.at(8.0), x.at(4.0)), (46.0, 544.0, 295.0));
        // Upwards: the largest value at the top of the plot.
        let y = Scale::linear(0.0, 4.0, FRAME.y_range());
        assert_eq!((y.at(0.0), y.at(4.0)), (264.0, 12.0));
        assert_eq!(FRAME.view_box(), "0 0 560 300");
        assert!(x.powers().is_empty());
    }

    #[test]
    fn a_log_scale_spaces_powers_evenly_and_lists_them_as_ticks() {
        let y = Scale::log(2.0, -1.0, 3.0, (100.0, 0.0));
        assert_eq!((y.at(0.5), y.at(1.0), y.at(8.0)), (100.0, 75.0, 0.0));
        assert_eq!(y.powers(), vec![0.5, 1.0, 2.0, 4.0, 8.0]);
        // Labels read 0.1, not 0.09999999999999999.
        assert_eq!(Scale::log(10.0, -1.0, 0.0, (1.0, 0.0)).powers(), vec![0.1, 1.0]);
        // Nothing a log axis cannot show is drawn off the chart.
        assert_eq!(y.at(0.0), 100.0);
    }

    #[test]
    fn log_bounds_round_out_to_whole_powers() {
        assert_eq!(log_bounds([3.0, 450.0], 10.0, 1.0), Some((0.0, 3.0)));
        assert_eq!(log_bounds([20.0, 30.0], 10.0, 1.0), Some((1.0, 2.0)), "at least one decade");
        assert_eq!(log_bounds([0.0, -1.0], 10.0, 1.0), None);
    }

    #[test]
    fn points_are_written_to_a_tenth() {
        assert_eq!(points([(1.0, 2.25), (3.04, 4.0)]), "1.0,2.2 3.0,4.0");
    }
}
