//! newsgraph's annotation pipeline.
//!
//! Each kind of stage has a folder: its shared logic in `mod.rs`, one file per implementation.
//! Every stage implements [`Annotator`]: it reads the [`Document`] and the annotations earlier
//! stages added, and adds its own. Cleaning runs before a document exists: it turns a raw body
//! into the cleaned text, recording every removal.

pub mod amounts;
pub mod clean;
pub mod dates;
pub mod entities;
pub mod events;
pub mod knowledge;
pub mod pipeline;
pub mod quotes;
pub mod segment;
pub mod text;

pub use newsgraph_doc::Document;
pub use pipeline::{Annotator, Pipeline};
