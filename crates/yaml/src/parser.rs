//! YAML event parser with goyaml v2's state machine and error texts.

use std::borrow::Cow;

use crate::scanner::{ErrorStage, Mark, SResult, ScalarStyle, Scanner, SyntaxError, TokenKind};

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind<'a> {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(String),
    Scalar {
        anchor: Option<String>,
        tag: String,
        /// Borrowed from the input when the scanner could.
        value: Cow<'a, str>,
        /// Plain implicit (goyaml's `implicit`).
        implicit: bool,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<String>,
        tag: String,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        tag: String,
    },
    MappingEnd,
}

#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub kind: EventKind<'a>,
    pub start: Mark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(Cow<'static, str>, Cow<'static, str>)>,
}

fn perr(problem: &str, problem_mark: Mark) -> Box<SyntaxError> {
    Box::new(SyntaxError {
        stage: ErrorStage::Parser,
        problem: problem.to_string(),
        problem_mark,
        context_mark: Mark::default(),
    })
}

fn perr_ctx(context_mark: Mark, problem: &str, problem_mark: Mark) -> Box<SyntaxError> {
    Box::new(SyntaxError {
        stage: ErrorStage::Parser,
        problem: problem.to_string(),
        problem_mark,
        context_mark,
    })
}

impl<'a> Parser<'a> {
    pub fn new(scanner: Scanner<'a>) -> Parser<'a> {
        Parser {
            scanner,
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
        }
    }

    /// The next token's kind (without its text) and marks.
    fn peek_kind(&mut self) -> SResult<(Tk, Mark, Mark)> {
        let t = self.scanner.peek()?;
        Ok((Tk::of(&t.kind), t.start, t.end))
    }

    /// Consumes the token `peek_kind` returned, handing over its text.
    fn take_token(&mut self) -> TokenKind<'a> {
        self.scanner
            .take_token()
            .map(|t| t.kind)
            .unwrap_or(TokenKind::StreamEnd)
    }

    fn pop_state(&mut self) -> State {
        self.states.pop().unwrap_or(State::End)
    }

    /// The next event. After the stream end, keeps returning `StreamEnd`.
    pub fn next_event(&mut self) -> SResult<Event<'a>> {
        if self.scanner.stream_end_produced || self.state == State::End {
            return Ok(Event {
                kind: EventKind::StreamEnd,
                start: Mark::default(),
            });
        }
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => unreachable_end(),
        }
    }

    fn parse_stream_start(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.peek_kind()?;
        if kind != Tk::StreamStart {
            return Err(perr("did not find expected <stream-start>", start));
        }
        self.state = State::ImplicitDocumentStart;
        self.scanner.skip_token();
        Ok(Event {
            kind: EventKind::StreamStart,
            start,
        })
    }

    fn parse_document_start(&mut self, implicit: bool) -> SResult<Event<'a>> {
        let (mut kind, mut start, _) = self.peek_kind()?;
        if !implicit {
            while kind == Tk::DocumentEnd {
                self.scanner.skip_token();
                (kind, start, _) = self.peek_kind()?;
            }
        }
        let is_directive = matches!(kind, Tk::VersionDirective | Tk::TagDirective);
        if implicit && !is_directive && kind != Tk::DocumentStart && kind != Tk::StreamEnd {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(Event {
                kind: EventKind::DocumentStart,
                start,
            });
        }
        if kind != Tk::StreamEnd {
            let start_mark = start;
            self.process_directives()?;
            let (kind, start, _) = self.peek_kind()?;
            if kind != Tk::DocumentStart {
                return Err(perr("did not find expected <document start>", start));
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.scanner.skip_token();
            return Ok(Event {
                kind: EventKind::DocumentStart,
                start: start_mark,
            });
        }
        self.state = State::End;
        self.scanner.skip_token();
        Ok(Event {
            kind: EventKind::StreamEnd,
            start,
        })
    }

    fn parse_document_content(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.peek_kind()?;
        if matches!(
            kind,
            Tk::VersionDirective
                | Tk::TagDirective
                | Tk::DocumentStart
                | Tk::DocumentEnd
                | Tk::StreamEnd
        ) {
            self.state = self.pop_state();
            return Ok(empty_scalar(start));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.peek_kind()?;
        if kind == Tk::DocumentEnd {
            self.scanner.skip_token();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Event {
            kind: EventKind::DocumentEnd,
            start,
        })
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> SResult<Event<'a>> {
        let (mut kind, mut start, mut end) = self.peek_kind()?;
        if kind == Tk::Alias {
            self.state = self.pop_state();
            let TokenKind::Alias(name) = self.take_token() else {
                return Err(perr("did not find expected alias", start));
            };
            return Ok(Event {
                kind: EventKind::Alias(name),
                start,
            });
        }
        let start_mark = start;
        let mut anchor = None;
        let mut tag_token: Option<(String, String)> = None;
        let mut tag_mark = Mark::default();
        if kind == Tk::Anchor {
            if let TokenKind::Anchor(a) = self.take_token() {
                anchor = Some(a);
            }
            (kind, start, end) = self.peek_kind()?;
            if kind == Tk::Tag {
                if let TokenKind::Tag(h, s) = self.take_token() {
                    tag_token = Some((h, s));
                }
                tag_mark = start;
                (kind, start, end) = self.peek_kind()?;
            }
        } else if kind == Tk::Tag {
            if let TokenKind::Tag(h, s) = self.take_token() {
                tag_token = Some((h, s));
            }
            tag_mark = start;
            (kind, start, end) = self.peek_kind()?;
            if kind == Tk::Anchor {
                if let TokenKind::Anchor(a) = self.take_token() {
                    anchor = Some(a);
                }
                (kind, start, end) = self.peek_kind()?;
            }
        }
        let _ = end;
        let mut tag = String::new();
        if let Some((handle, suffix)) = tag_token {
            if handle.is_empty() {
                tag = suffix;
            } else {
                for (h, p) in &self.tag_directives {
                    if *h == handle {
                        tag = format!("{p}{suffix}");
                        break;
                    }
                }
                if tag.is_empty() {
                    return Err(perr_ctx(start_mark, "found undefined tag handle", tag_mark));
                }
            }
        }
        if indentless_sequence && kind == Tk::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event {
                kind: EventKind::SequenceStart { anchor, tag },
                start: start_mark,
            });
        }
        if kind == Tk::Scalar {
            let TokenKind::Scalar(value, style) = self.take_token() else {
                return Err(perr("did not find expected scalar", start));
            };
            let implicit = (tag.is_empty() && style == ScalarStyle::Plain) || tag == "!";
            self.state = self.pop_state();
            return Ok(Event {
                kind: EventKind::Scalar {
                    anchor,
                    tag,
                    value,
                    implicit,
                    style,
                },
                start: start_mark,
            });
        }
        match kind {
            Tk::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                return Ok(Event {
                    kind: EventKind::SequenceStart { anchor, tag },
                    start: start_mark,
                });
            }
            Tk::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor, tag },
                    start: start_mark,
                });
            }
            Tk::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                return Ok(Event {
                    kind: EventKind::SequenceStart { anchor, tag },
                    start: start_mark,
                });
            }
            Tk::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                return Ok(Event {
                    kind: EventKind::MappingStart { anchor, tag },
                    start: start_mark,
                });
            }
            _ => {}
        }
        if anchor.is_some() || !tag.is_empty() {
            self.state = self.pop_state();
            let implicit = tag.is_empty();
            return Ok(Event {
                kind: EventKind::Scalar {
                    anchor,
                    tag,
                    value: Cow::Borrowed(""),
                    implicit,
                    style: ScalarStyle::Plain,
                },
                start: start_mark,
            });
        }
        Err(perr_ctx(
            start_mark,
            "did not find expected node content",
            start,
        ))
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (kind, start, end) = self.peek_kind()?;
        if kind == Tk::BlockEntry {
            let mark = end;
            self.scanner.skip_token();
            let (kind, _, _) = self.peek_kind()?;
            if kind != Tk::BlockEntry && kind != Tk::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if kind == Tk::BlockEnd {
            self.state = self.pop_state();
            self.marks.pop();
            self.scanner.skip_token();
            return Ok(Event {
                kind: EventKind::SequenceEnd,
                start,
            });
        }
        let ctx = self.marks.pop().unwrap_or_default();
        Err(perr_ctx(ctx, "did not find expected '-' indicator", start))
    }

    fn parse_indentless_sequence_entry(&mut self) -> SResult<Event<'a>> {
        let (kind, start, end) = self.peek_kind()?;
        if kind == Tk::BlockEntry {
            let mark = end;
            self.scanner.skip_token();
            let (kind, _, _) = self.peek_kind()?;
            if !matches!(kind, Tk::BlockEntry | Tk::Key | Tk::Value | Tk::BlockEnd) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        self.state = self.pop_state();
        Ok(Event {
            kind: EventKind::SequenceEnd,
            start,
        })
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (kind, start, end) = self.peek_kind()?;
        if kind == Tk::Key {
            let mark = end;
            self.scanner.skip_token();
            let (kind, _, _) = self.peek_kind()?;
            if !matches!(kind, Tk::Key | Tk::Value | Tk::BlockEnd) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        }
        if kind == Tk::BlockEnd {
            self.state = self.pop_state();
            self.marks.pop();
            self.scanner.skip_token();
            return Ok(Event {
                kind: EventKind::MappingEnd,
                start,
            });
        }
        let ctx = self.marks.pop().unwrap_or_default();
        Err(perr_ctx(ctx, "did not find expected key", start))
    }

    fn parse_block_mapping_value(&mut self) -> SResult<Event<'a>> {
        let (kind, start, end) = self.peek_kind()?;
        if kind == Tk::Value {
            let mark = end;
            self.scanner.skip_token();
            let (kind, _, _) = self.peek_kind()?;
            if !matches!(kind, Tk::Key | Tk::Value | Tk::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(start))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (mut kind, mut start, mut end) = self.peek_kind()?;
        if kind != Tk::FlowSequenceEnd {
            if !first {
                if kind == Tk::FlowEntry {
                    self.scanner.skip_token();
                    (kind, start, end) = self.peek_kind()?;
                } else {
                    let ctx = self.marks.pop().unwrap_or_default();
                    return Err(perr_ctx(ctx, "did not find expected ',' or ']'", start));
                }
            }
            let _ = end;
            if kind == Tk::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.scanner.skip_token();
                return Ok(Event {
                    kind: EventKind::MappingStart {
                        anchor: None,
                        tag: String::new(),
                    },
                    start,
                });
            } else if kind != Tk::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.state = self.pop_state();
        self.marks.pop();
        self.scanner.skip_token();
        Ok(Event {
            kind: EventKind::SequenceEnd,
            start,
        })
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> SResult<Event<'a>> {
        let (kind, _, end) = self.peek_kind()?;
        if !matches!(kind, Tk::Value | Tk::FlowEntry | Tk::FlowSequenceEnd) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        let mark = end;
        self.scanner.skip_token();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> SResult<Event<'a>> {
        let (kind, start, _) = self.peek_kind()?;
        if kind == Tk::Value {
            self.scanner.skip_token();
            let (kind, s2, _) = self.peek_kind()?;
            if kind != Tk::FlowEntry && kind != Tk::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
            // goyaml keeps using the VALUE token's start mark here.
            let _ = s2;
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(start))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> SResult<Event<'a>> {
        let (_, start, _) = self.peek_kind()?;
        self.state = State::FlowSequenceEntry;
        Ok(Event {
            kind: EventKind::MappingEnd,
            start,
        })
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> SResult<Event<'a>> {
        if first {
            let (_, start, _) = self.peek_kind()?;
            self.marks.push(start);
            self.scanner.skip_token();
        }
        let (mut kind, mut start, _) = self.peek_kind()?;
        if kind != Tk::FlowMappingEnd {
            if !first {
                if kind == Tk::FlowEntry {
                    self.scanner.skip_token();
                    (kind, start, _) = self.peek_kind()?;
                } else {
                    let ctx = self.marks.pop().unwrap_or_default();
                    return Err(perr_ctx(ctx, "did not find expected ',' or '}'", start));
                }
            }
            if kind == Tk::Key {
                self.scanner.skip_token();
                let (kind, start, _) = self.peek_kind()?;
                if !matches!(kind, Tk::Value | Tk::FlowEntry | Tk::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(start));
            } else if kind != Tk::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.state = self.pop_state();
        self.marks.pop();
        self.scanner.skip_token();
        Ok(Event {
            kind: EventKind::MappingEnd,
            start,
        })
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> SResult<Event<'a>> {
        let (kind, start, _) = self.peek_kind()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(start));
        }
        let mut start = start;
        if kind == Tk::Value {
            self.scanner.skip_token();
            let (kind, s2, _) = self.peek_kind()?;
            if kind != Tk::FlowEntry && kind != Tk::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
            start = s2;
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(start))
    }

    fn process_directives(&mut self) -> SResult<()> {
        let mut have_version = false;
        loop {
            let t = self.scanner.peek()?;
            let (kind, start) = (t.kind.clone(), t.start);
            match kind {
                TokenKind::VersionDirective(major, minor) => {
                    if have_version {
                        return Err(perr("found duplicate %YAML directive", start));
                    }
                    if major != 1 || minor != 1 {
                        return Err(perr("found incompatible YAML document", start));
                    }
                    have_version = true;
                }
                TokenKind::TagDirective(handle, prefix) => {
                    if self.tag_directives.iter().any(|(h, _)| *h == handle) {
                        return Err(perr("found duplicate %TAG directive", start));
                    }
                    self.tag_directives.push((handle.into(), prefix.into()));
                }
                _ => break,
            }
            self.scanner.skip_token();
        }
        for (h, p) in [("!", "!"), ("!!", "tag:yaml.org,2002:")] {
            if !self.tag_directives.iter().any(|(x, _)| x == h) {
                self.tag_directives.push((h.into(), p.into()));
            }
        }
        Ok(())
    }
}

/// A token's kind without its text, cheap to copy and compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tk {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias,
    Anchor,
    Tag,
    Scalar,
}

impl Tk {
    fn of(k: &TokenKind) -> Tk {
        match k {
            TokenKind::StreamStart => Tk::StreamStart,
            TokenKind::StreamEnd => Tk::StreamEnd,
            TokenKind::VersionDirective(..) => Tk::VersionDirective,
            TokenKind::TagDirective(..) => Tk::TagDirective,
            TokenKind::DocumentStart => Tk::DocumentStart,
            TokenKind::DocumentEnd => Tk::DocumentEnd,
            TokenKind::BlockSequenceStart => Tk::BlockSequenceStart,
            TokenKind::BlockMappingStart => Tk::BlockMappingStart,
            TokenKind::BlockEnd => Tk::BlockEnd,
            TokenKind::FlowSequenceStart => Tk::FlowSequenceStart,
            TokenKind::FlowSequenceEnd => Tk::FlowSequenceEnd,
            TokenKind::FlowMappingStart => Tk::FlowMappingStart,
            TokenKind::FlowMappingEnd => Tk::FlowMappingEnd,
            TokenKind::BlockEntry => Tk::BlockEntry,
            TokenKind::FlowEntry => Tk::FlowEntry,
            TokenKind::Key => Tk::Key,
            TokenKind::Value => Tk::Value,
            TokenKind::Alias(_) => Tk::Alias,
            TokenKind::Anchor(_) => Tk::Anchor,
            TokenKind::Tag(..) => Tk::Tag,
            TokenKind::Scalar(..) => Tk::Scalar,
        }
    }
}

fn unreachable_end() -> SResult<Event<'static>> {
    Ok(Event {
        kind: EventKind::StreamEnd,
        start: Mark::default(),
    })
}

fn empty_scalar(mark: Mark) -> Event<'static> {
    Event {
        kind: EventKind::Scalar {
            anchor: None,
            tag: String::new(),
            value: Cow::Borrowed(""),
            implicit: true,
            style: ScalarStyle::Plain,
        },
        start: mark,
    }
}
