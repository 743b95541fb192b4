//! The page's own services: its address (`location`: the settings and
//! view in the URL), what it keeps between visits (`storage`), and files
//! in and out (`download`, `file_read`).

pub(crate) mod download;
pub(crate) mod file_read;
pub(crate) mod location;
pub(crate) mod storage;
