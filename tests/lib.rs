//! Workspace-level tests live in the [[test]] targets.
