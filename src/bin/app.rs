//! The page: mounts the Yew app.
#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<concurrency_lab::ui::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app runs in a browser: build and serve it with trunk (see README.md)");
}
