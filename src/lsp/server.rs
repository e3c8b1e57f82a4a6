//! Routing: the `LanguageServer` implementation hands each message to its handler
//! (`handlers/<feature>.rs`); the state and the request prologue live in `session`.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::handlers::{
    code_actions, completion, configuration, diagnostics, documents, hover, initialize, rename,
    symbols, workspace_diagnostic, workspace_folders,
};
use super::session::Session;
use super::transport::{CancelPull, FrameSender, FramedCompletion, FramedPull};

pub struct Backend {
    session: Arc<Session>,
}

impl Backend {
    pub fn new(client: Client, frames: FrameSender) -> Backend {
        Backend {
            session: Arc::new(Session::new(client, frames)),
        }
    }

    /// `textDocument/diagnostic`, as the transport hands it over
    /// ([`super::transport::PULL_DIAGNOSTICS`]).
    pub async fn pull_framed(&self, pulled: FramedPull) {
        diagnostics::pull_framed(&self.session, pulled).await;
    }

    /// `textDocument/completion`, as the transport hands it over
    /// ([`super::transport::COMPLETE`]).
    pub async fn complete_framed(&self, request: FramedCompletion) {
        completion::complete_framed(&self.session, request);
    }

    /// `$/cancelRequest`, as the transport copies it ([`super::transport::CANCEL_PULL`]).
    pub async fn cancel_pull(&self, cancel: CancelPull) {
        diagnostics::cancel_pull(&self.session, cancel);
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        initialize::initialize(&self.session, params).await
    }

    async fn initialized(&self, _: InitializedParams) {
        initialize::initialized(&self.session).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        documents::did_open(&self.session, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        documents::did_change(&self.session, params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        documents::did_close(&self.session, params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        configuration::did_change_configuration(&self.session, params).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        workspace_folders::did_change_workspace_folders(&self.session, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        configuration::did_change_watched_files(&self.session, params).await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        diagnostics::pull(&self.session, params).await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        workspace_diagnostic::workspace_diagnostic(&self.session, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        code_actions::code_action(&self.session, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        completion::completion(&self.session, params).map(|list| list.map(Into::into))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        hover::hover(&self.session, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        rename::prepare_rename(&self.session, params)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        rename::rename(&self.session, params)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        rename::references(&self.session, params)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        symbols::document_symbol(&self.session, params)
    }
}
