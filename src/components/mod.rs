//! One component per region of the page. Each takes the data it shows and callbacks for what
//! the user can do there; none of them owns state.

mod call_stack;
mod caption;
mod console;
mod controls;
mod editor;
mod pane;
mod phase_ring;
mod program_bar;
mod queues;
mod requests;
mod thread_pool;

pub use call_stack::CallStack;
pub use caption::Caption;
pub use console::Console;
pub use controls::Controls;
pub use editor::Editor;
pub use pane::{Empty, Pane};
pub use phase_ring::PhaseRing;
pub use program_bar::ProgramBar;
pub use queues::{Items, ItemsProps, QueueLane, QueueLaneProps, Queues};
pub use requests::Requests;
pub use thread_pool::ThreadPool;
