//! One number field of the extra views (convoy, deadlock, process costs):
//! its input — id, name and test id from the `Field` — and the message of
//! its problem, if it has one, in the reader's language.

use engine::settings::Field;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct NumberFieldProps {
    pub(crate) field: Field,
    /// The text as typed.
    pub(crate) value: String,
    /// The bounds, shown while the field is empty.
    pub(crate) hint: String,
    /// What is wrong with the value, already worded.
    pub(crate) error: Option<String>,
    pub(crate) disabled: bool,
    pub(crate) on_edit: Callback<(Field, String)>,
}

#[component]
pub(crate) fn NumberField(props: &NumberFieldProps) -> Html {
    let field = props.field;
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            on_edit.emit((field, el.value()));
        })
    };
    let invalid = props.error.is_some();
    html! {
        <div class="field">
            <input id={field.id()} name={field.id()} data-testid={format!("input-{}", field.id())} type="text"
                inputmode="numeric" value={props.value.clone()} oninput={oninput} disabled={props.disabled}
                class={classes!(invalid.then_some("invalid"))} aria-invalid={invalid.to_string()}
                placeholder={props.hint.clone()} />
            if let Some(msg) = &props.error {
                <p class="field-error" role="alert" data-testid={format!("error-{}", field.id())}>{ msg }</p>
            }
        </div>
    }
}
