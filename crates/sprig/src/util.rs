//! Shared helpers (Go conversions used across sprig).
