//! JavaScript on the model (work in progress).
