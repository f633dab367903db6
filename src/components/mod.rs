//! One component per region of the page. Each takes the data it shows and callbacks for what
//! the user can do there; none of them owns state.

mod call_stack;
mod caption;
mod chart;
mod console;
mod controls;
mod editor;
mod lesson;
mod load;
mod pane;
mod parts;
mod phase_ring;
mod program_bar;
mod queues;
mod requests;
mod resize;
mod root;
mod share;
mod thread_pool;
mod timeline;

pub use call_stack::{CallStack, CallStackProps};
pub use caption::{Caption, CaptionProps};
pub use chart::{Chart, ChartProps, Line};
pub use console::{Console, ConsoleProps, LIVE_LINES};
pub use controls::{Controls, ControlsProps};
pub use editor::{Editor, EditorProps};
pub use lesson::{LessonPane, LessonProps, LessonSelect, LessonSelectProps};
pub use load::{Load, LoadProps};
pub use pane::{Empty, Pane};
pub use phase_ring::{PhaseRing, PhaseRingProps};
pub use program_bar::{ProgramBar, ProgramBarProps};
pub use queues::{Items, ItemsProps, QueueLane, QueueLaneProps, Queues, Tag, TagProps};
pub use requests::{Requests, RequestsProps};
pub use root::{Root, RootProps};
pub use share::{iframe_snippet, Share, ShareProps};
pub use thread_pool::{ThreadPool, ThreadPoolProps};
pub use timeline::{TimelineProps, TimelineStore, TimelineStrip};
