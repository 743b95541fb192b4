//! Stable ids: the names the page, its URLs, its exports and the tests use
//! for the variants of an enum, written once, beside each variant.

/// Declares an enum of unit variants, each with its stable id, and derives
/// from that one list its `ALL` (in the order given), `id()` and
/// `from_id()`: no id is spelled twice, and no list is kept by hand.
///
/// ```
/// engine::named_enum! {
///     /// A colour.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Colour {
///         /// The first.
///         Red = "red",
///         Green = "green",
///     }
/// }
/// assert_eq!(Colour::ALL, [Colour::Red, Colour::Green]);
/// assert_eq!(Colour::Green.id(), "green");
/// assert_eq!(Colour::from_id("red"), Some(Colour::Red));
/// assert_eq!(Colour::from_id("blue"), None);
/// ```
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in the order declared.
            pub const ALL: [$name; [$($id),+].len()] = [$($name::$variant),+];

            /// The stable id (URLs, exports, `data-testid`s): never rename one.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }

            /// The variant `id` names, if any.
            pub fn from_id(id: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.id() == id)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::model::{Activity, Model};
    use crate::python::bytecode::scenarios::Scenario;
    use crate::python::bytecode::Switching;
    use crate::python::convoy::ConvoyModel;
    use crate::python::deadlock::Variant;
    use crate::python::race::RaceMode;
    use crate::settings::Field;
    use crate::tour::claims::Claim;
    use crate::work::workload::{Plan, WorkloadKind};

    fn ids<T: Copy>(all: &[T], id: fn(T) -> &'static str) -> String {
        all.iter().map(|&v| id(v)).collect::<Vec<_>>().join(" ")
    }

    /// Links, exports, `localStorage` and the e2e tests name things by these
    /// ids: written out here once more, so a rename (or a reordering of a
    /// list the page shows in order) fails a test instead of a reader's link.
    #[test]
    fn the_ids_links_and_exports_use_never_change() {
        assert_eq!(ids(&Model::ALL, Model::id), "sequential gil threads processes asyncio");
        assert_eq!(ids(&WorkloadKind::ALL, WorkloadKind::id), "primes sum sha256 mandelbrot io mixed");
        assert_eq!(ids(&Plan::ALL, Plan::id), "uniform uneven");
        assert_eq!(
            ids(&Field::ALL, Field::id),
            "workload size tasks plan model workers strategy chunk interval crash cpu rate cputhreads waits wait \
             watchdog payload sweepfrom sweepto scenario rule threads iterations schedule"
        );
        assert_eq!(
            ids(&Claim::ALL, Claim::id),
            "gil-cpu processes-cores cpu-count io-threads asyncio-loop memory data-transfer race-lock deadlock \
             crash gil-counter free-needs-locks append-safe uneven pool mixed convoy"
        );
        assert_eq!(ids(&RaceMode::ALL, RaceMode::id), "unsync atomic mutex");
        assert_eq!(ids(&Variant::ALL, Variant::id), "opposite ordered timeout");
        assert_eq!(ids(&ConvoyModel::ALL, ConvoyModel::id), "gil threads processes");
        assert_eq!(
            ids(&Activity::ALL, Activity::id),
            "run run-all sweep crossover convoy deadlock costs race tour explore real-race"
        );
        assert_eq!(
            ids(&Scenario::ALL, Scenario::id),
            "increment increment-call check-then-act append with-lock lock-order lock-order-call lock-one-order"
        );
        assert_eq!(ids(&Switching::ALL, Switching::id), "gil free");
        for m in Model::ALL {
            assert_eq!(Model::from_id(m.id()), Some(m));
        }
        assert_eq!(Claim::from_id("no-such-claim"), None);
    }
}
