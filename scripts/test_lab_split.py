"""Tests of scripts/lab_split.py's choice of what moves: the names it
reads and the reach from what stays (`python3 -m unittest` in scripts/;
scripts/test.sh runs them). The split itself is tested in a browser
(tests/e2e/split.test.mjs)."""
import unittest

from lab_split import CallGraph, classify, staying

H = "[0123456789abcdef]"
APP = f"<concurrency_lab{H}::ui::app::App as yew{H}::functional::FunctionProvider>::run::inner"
START = f"concurrency_lab{H}::ui::tour::view::start::{{closure#0}}"
TOUR_VIEW = f"<concurrency_lab{H}::ui::tour::view::Tour as yew{H}::functional::FunctionProvider>::run::inner"
LAB_FORM = f"<concurrency_lab{H}::ui::lab::settings_form::SettingsForm as yew{H}::functional::FunctionProvider>::run"
RUN = f"<concurrency_lab{H}::web::runner::BusyGuard>::run::{{closure#0}}"
CHECK = f"concurrency_lab{H}::ui::tour::check::run::{{closure#0}}"
POOL = f"<concurrency_lab{H}::web::pools::processes::ProcessPool>::run"
KERNEL_ONLY_RUN = f"engine{H}::analysis::report::build"
SHARED = f"alloc{H}::raw_vec::finish_grow"
DROP = f"core{H}::ptr::drop_glue::<concurrency_lab{H}::web::runner::BusyGuard>"
DROP_IMPL = f"<concurrency_lab{H}::web::runner::BusyGuard as core{H}::ops::drop::Drop>::drop"


def graph(calls, exports=(), indirect=()):
    return CallGraph(imports=set(), exports=set(exports), indirect=set(indirect), calls=list(calls))


class Classify(unittest.TestCase):
    def test_views_and_the_runner_are_named_but_not_the_tours_code_nor_drop_code(self):
        views, run = classify([APP, START, TOUR_VIEW, LAB_FORM, RUN, CHECK, POOL, SHARED, DROP, DROP_IMPL])
        self.assertEqual(views, {LAB_FORM})
        self.assertEqual(run, {RUN, CHECK, POOL})

    def test_a_generic_over_a_tour_type_is_the_tours(self):
        both = f"yew{H}::html::Scope<concurrency_lab{H}::ui::tour::view::Tour, concurrency_lab{H}::ui::lab::x::X>::new"
        self.assertEqual(classify([both]), (set(), set()))


class Staying(unittest.TestCase):
    named = classify([LAB_FORM, RUN, CHECK, POOL])

    def test_a_gate_call_moves_its_callee_and_all_only_it_reaches(self):
        calls = [(START, CHECK), (CHECK, RUN), (RUN, POOL), (RUN, KERNEL_ONLY_RUN), (RUN, SHARED), (TOUR_VIEW, SHARED)]
        stays = staying(self.named, graph(calls, indirect=[START, TOUR_VIEW]))
        self.assertEqual(stays, {START, TOUR_VIEW, SHARED})

    def test_a_named_function_something_else_calls_stays_with_what_it_calls(self):
        calls = [(START, RUN), (TOUR_VIEW, RUN), (RUN, KERNEL_ONLY_RUN)]
        stays = staying(self.named, graph(calls, indirect=[START, TOUR_VIEW]))
        self.assertEqual(stays, {START, TOUR_VIEW, RUN, KERNEL_ONLY_RUN})

    def test_the_root_component_gates_the_views_not_the_runner(self):
        calls = [(APP, LAB_FORM), (APP, POOL)]
        stays = staying(self.named, graph(calls, exports=[APP]))
        self.assertEqual(stays, {APP, POOL})

    def test_the_tables_functions_stay_unless_named(self):
        calls = [(CHECK, KERNEL_ONLY_RUN), (DROP, DROP_IMPL)]
        stays = staying(self.named, graph(calls, indirect=[CHECK, DROP]))
        self.assertEqual(stays, {DROP, DROP_IMPL})

    def test_drop_code_a_gate_calls_stays(self):
        calls = [(START, DROP), (DROP, DROP_IMPL), (DROP_IMPL, POOL)]
        stays = staying(self.named, graph(calls, indirect=[START]))
        self.assertEqual(stays, {START, DROP, DROP_IMPL, POOL})


if __name__ == "__main__":
    unittest.main()
