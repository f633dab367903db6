use yew::prelude::*;

use super::{Empty, Pane};

#[derive(Properties, PartialEq)]
pub struct RequestsProps {
    /// Outstanding libuv requests and active handles, oldest first.
    pub requests: Vec<String>,
}

/// What keeps the loop alive: pending requests and active handles.
#[function_component(Requests)]
pub fn requests(props: &RequestsProps) -> Html {
    html! {
        <Pane title="Requests" test_id="requests" class="pane-requests">
            if props.requests.is_empty() {
                <Empty text="none: nothing keeps the loop alive" />
            } else {
                <ul class="requests">
                    { for props.requests.iter().map(|r| html! { <li class="request">{ r }</li> }) }
                </ul>
            }
        </Pane>
    }
}
