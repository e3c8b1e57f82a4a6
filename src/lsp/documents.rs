//! Open documents: a rope per document, edited in place by incremental changes, and
//! the version the client gave each state.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::line_index::Encoding;

use super::convert::rope_offset;

pub struct OpenDocument {
    rope: Rope,
    pub version: i32,
    /// The rope as one string, built lazily once per version for the analysis core.
    text: Option<Arc<str>>,
    /// A re-index of this document is scheduled and has not taken its snapshot yet:
    /// a burst of keystrokes costs one copy of a huge text, not one per keystroke.
    reindex_pending: bool,
    /// The file starts with a byte-order mark the client left out of the text.
    stripped_bom: bool,
}

/// What a request works on: one version of one document, immutable.
#[derive(Clone)]
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub text: Arc<str>,
    /// See [`Documents::mark_stripped_bom`]: the core must know, as the CLI's does.
    pub stripped_bom: bool,
}

#[derive(Default)]
pub struct Documents {
    open: HashMap<Uri, OpenDocument>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: &str, version: i32) {
        let document = OpenDocument {
            rope: Rope::from_str(text),
            version,
            text: Some(Arc::from(text)),
            reindex_pending: false,
            stripped_bom: false,
        };
        self.open.insert(uri, document);
    }

    /// Records that the file on disk starts with a byte-order mark the client's
    /// text lacks (editors such as VS Code strip it and write it back on save).
    pub fn mark_stripped_bom(&mut self, uri: &Uri) {
        if let Some(document) = self.open.get_mut(uri) {
            document.stripped_bom = true;
        }
    }

    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
    }

    /// Applies the changes of one `didChange` in order. Returns false (and changes
    /// nothing) for an unknown document or a version older than the current one.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> bool {
        let Some(document) = self.open.get_mut(uri) else {
            return false;
        };
        if version < document.version {
            return false;
        }
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = rope_offset(&document.rope, range.start, encoding);
                    let end = rope_offset(&document.rope, range.end, encoding).max(start);
                    let start_char = document.rope.byte_to_char(start);
                    let end_char = document.rope.byte_to_char(end);
                    document.rope.remove(start_char..end_char);
                    document.rope.insert(start_char, &change.text);
                }
                None => document.rope = Rope::from_str(&change.text),
            }
        }
        document.version = version;
        document.text = None;
        true
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.open.get(uri).map(|document| document.version)
    }

    /// The size of an open document's text (0 when it is not open).
    pub fn len_bytes(&self, uri: &Uri) -> usize {
        self.open
            .get(uri)
            .map_or(0, |document| document.rope.len_bytes())
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        self.open.contains_key(uri)
    }

    pub fn snapshot(&mut self, uri: &Uri) -> Option<Snapshot> {
        let document = self.open.get_mut(uri)?;
        let text = document
            .text
            .get_or_insert_with(|| Arc::from(document.rope.to_string()))
            .clone();
        Some(Snapshot {
            uri: uri.clone(),
            version: document.version,
            text,
            stripped_bom: document.stripped_bom,
        })
    }

    /// Marks the document as needing a re-index; true when the caller must schedule
    /// one (none is pending already: the pending one will read this version or newer).
    pub fn request_reindex(&mut self, uri: &Uri) -> bool {
        self.open
            .get_mut(uri)
            .is_some_and(|document| !std::mem::replace(&mut document.reindex_pending, true))
    }

    /// The snapshot a re-index works on; edits after it schedule another re-index.
    pub fn snapshot_to_reindex(&mut self, uri: &Uri) -> Option<Snapshot> {
        if let Some(document) = self.open.get_mut(uri) {
            document.reindex_pending = false;
        }
        self.snapshot(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &Uri> {
        self.open.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(start: (u32, u32), end: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_edits_in_utf16_on_cjk_and_crlf() {
        let uri: Uri = "file:///a.md".parse().expect("uri");
        let mut documents = Documents::default();
        documents.open(uri.clone(), "金融😀x\r\nnext\r\n", 1);
        // Replace "x" (after two CJK chars and a surrogate pair) and append on line 1.
        let changes = vec![edit((0, 4), (0, 5), "y"), edit((1, 4), (1, 4), "!")];
        assert!(documents.change(&uri, 2, changes, Encoding::Utf16));
        let snapshot = documents.snapshot(&uri).expect("open");
        assert_eq!(&*snapshot.text, "金融😀y\r\nnext!\r\n");
        assert_eq!(snapshot.version, 2);
        // A stale version is refused.
        assert!(!documents.change(&uri, 1, vec![edit((0, 0), (0, 0), "z")], Encoding::Utf16));
    }
    #[test]
    fn a_burst_of_edits_schedules_one_reindex_until_its_snapshot_is_taken() {
        let uri: Uri = "file:///a.md".parse().expect("uri");
        let mut documents = Documents::default();
        documents.open(uri.clone(), "a", 1);
        assert!(documents.request_reindex(&uri));
        for version in 2..5 {
            assert!(documents.change(
                &uri,
                version,
                vec![edit((0, 0), (0, 0), "x")],
                Encoding::Utf8
            ));
            assert!(!documents.request_reindex(&uri), "one is pending already");
        }
        let snapshot = documents.snapshot_to_reindex(&uri).expect("open");
        assert_eq!((&*snapshot.text, snapshot.version), ("xxxa", 4));
        // An edit after the snapshot needs a re-index of its own.
        assert!(documents.change(&uri, 5, vec![edit((0, 0), (0, 0), "y")], Encoding::Utf8));
        assert!(documents.request_reindex(&uri));
        assert!(!documents.request_reindex(&"file:///closed.md".parse().expect("uri")));
    }

    use crate::line_index::{LineCol, LineIndex};
    use proptest::prelude::*;

    /// Text with every width of character and every line end, lone `\r` included.
    const TEXT: &str = "(a|金|😀|é\u{301}|\r\n|\r|\n| ){0,40}";

    fn encoding() -> impl Strategy<Value = Encoding> {
        prop_oneof![
            Just(Encoding::Utf8),
            Just(Encoding::Utf16),
            Just(Encoding::Utf32)
        ]
    }

    /// A position near the text: lines and columns a little past the end too.
    fn position() -> impl Strategy<Value = (u32, u32)> {
        (0u32..8, 0u32..24)
    }

    /// The client's model: the same edit on a plain string, through the line index.
    fn apply_to_string(
        text: &str,
        change: &TextDocumentContentChangeEvent,
        encoding: Encoding,
    ) -> String {
        let Some(range) = change.range else {
            return change.text.clone();
        };
        let index = LineIndex::new(text);
        let offset = |p: Position| {
            index.offset(
                text,
                LineCol {
                    line: p.line,
                    col: p.character,
                },
                encoding,
            )
        };
        let start = offset(range.start);
        let end = offset(range.end).max(start);
        format!("{}{}{}", &text[..start], change.text, &text[end..])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn incremental_edits_on_the_rope_equal_the_same_edits_on_a_string(
            initial in TEXT,
            encoding in encoding(),
            edits in proptest::collection::vec((position(), position(), TEXT, 0u8..16), 1..12),
        ) {
            let uri: Uri = "file:///p.md".parse().expect("uri");
            let mut documents = Documents::default();
            documents.open(uri.clone(), &initial, 1);
            let mut model = initial.clone();
            for (version, (start, end, text, kind)) in (2..).zip(edits) {
                // Mostly ranged edits, sometimes a whole-text replacement.
                let change = if kind == 0 {
                    TextDocumentContentChangeEvent { range: None, range_length: None, text }
                } else {
                    edit(start, end, &text)
                };
                model = apply_to_string(&model, &change, encoding);
                prop_assert!(documents.change(&uri, version, vec![change], encoding));
                let snapshot = documents.snapshot(&uri).expect("open");
                prop_assert_eq!(&*snapshot.text, model.as_str());
                prop_assert_eq!(snapshot.version, version);
            }
        }
    }
}
