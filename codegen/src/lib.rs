//! IR -> Rust source. Reads only the IR ([`ir`]) and returns file contents; never touches
//! disk, runs rustfmt or uses the network. `xtask` writes what [`generate`] returns.
//!
//! The emitters build token streams, split by item kind ([`naming`], [`docs`], `types`,
//! `enums`, `errors`, `validate`, `client`, `examples`, `server`); [`render`] formats them.

mod blocking;
mod client;
mod context;
pub mod docs;
mod enums;
pub mod errors;
mod examples;
pub use gaap_ir as ir;
pub mod names;
pub mod naming;
pub mod render;
pub mod safety;
mod server;
mod types;
mod validate;
pub mod waiters;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub use context::{Ctx, EnumKind};

/// Why the IR could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The IR names something it does not define, or cannot be expressed in Rust.
    #[error("invalid IR: {0}")]
    InvalidIr(String),
    /// An emitter produced tokens that do not parse as a Rust file (a codegen bug).
    #[error("generated code for {path} does not parse: {message}")]
    Render {
        /// The file being rendered.
        path: String,
        /// The parser's message.
        message: String,
    },
}

const MODEL: &str = "gaap-model/src/generated";
const CLIENT: &str = "gaap-client/src/generated";

/// Private modules whose items are re-exported flat (`types`).
fn mod_file(modules: &BTreeSet<String>) -> TokenStream {
    let ids: Vec<_> = modules.iter().map(|m| format_ident!("{}", m)).collect();
    quote! {
        #( mod #ids; )*
        #( pub use #ids::*; )*
    }
}

/// Public modules, one per action (`operation`).
fn pub_mod_file(modules: &BTreeSet<String>) -> TokenStream {
    let ids = modules.iter().map(|m| format_ident!("{}", m));
    quote!(#( pub mod #ids; )*)
}

/// The inner doc of an action's module: its name and the page's description.
fn module_doc(a: &ir::Action) -> TokenStream {
    let mut lines = vec![
        format!(
            "`{}`: the request, its builder, the response and the error.",
            a.name
        ),
        String::new(),
    ];
    lines.extend(docs::bilingual(
        &a.description,
        a.description_zh.as_deref(),
        &a.name,
    ));
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#( #![doc = #lines] )*)
}

fn check_names(ir: &ir::Ir) -> Result<(), CodegenError> {
    let mut modules = BTreeMap::new();
    for a in &ir.actions {
        if let Some(other) = modules.insert(naming::snake(&a.name), &a.name) {
            return Err(CodegenError::InvalidIr(format!(
                "actions `{other}` and `{}` map to the same Rust name",
                a.name
            )));
        }
    }
    let owners = ir
        .actions
        .iter()
        .flat_map(|a| [(&a.name, &a.input), (&a.name, &a.output)])
        .chain(ir.structs.iter().map(|s| (&s.name, &s.fields)));
    for (owner, params) in owners {
        let mut seen = BTreeMap::new();
        for p in params {
            let f = naming::snake(&p.name);
            if f == "request_id" && params.iter().any(|q| q.name == "RequestId") {
                return Err(CodegenError::InvalidIr(format!(
                    "`{owner}` lists `RequestId`, which every response carries already"
                )));
            }
            if let Some(other) = seen.insert(f, &p.name) {
                return Err(CodegenError::InvalidIr(format!(
                    "`{owner}.{other}` and `{owner}.{}` map to the same Rust name",
                    p.name
                )));
            }
        }
    }
    Ok(())
}

fn add(
    files: &mut BTreeMap<PathBuf, String>,
    path: String,
    tokens: TokenStream,
) -> Result<(), CodegenError> {
    let text = render::render(&path, tokens)?;
    files.insert(PathBuf::from(path), text);
    Ok(())
}

/// Every generated file, keyed by its path relative to the workspace root
/// (e.g. `gaap-model/src/generated/mod.rs`), with its full text (header included).
pub fn generate(ir: &ir::Ir) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    generate_pinned(ir, &mut names::EnumNames::default())
}

/// [`generate`] with enum names pinned by `pins` (the lock file): pinned parameters keep
/// their type names, new ones are named by the rules and added to `pins`.
pub fn generate_pinned(
    ir: &ir::Ir,
    pins: &mut names::EnumNames,
) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    generate_all(ir, pins, &[])
}

/// [`generate_pinned`] plus the waiters of `api-specs/waiters.toml` ([`waiters::parse`]):
/// `gaap-client/src/generated/waiters.rs`, checked against the IR first.
pub fn generate_all(
    ir: &ir::Ir,
    pins: &mut names::EnumNames,
    waiter_table: &[waiters::Waiter],
) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    check_names(ir)?;
    waiters::check(ir, waiter_table)?;
    let ctx = Ctx::new(ir, pins)?;
    let mut files = BTreeMap::new();

    let mut action_mods = BTreeSet::new();
    let mut client_mods = BTreeSet::new();
    for a in &ir.actions {
        let module = naming::snake(&a.name);
        let allow = types::any_deprecated(&a.input).then(|| quote!(#![allow(deprecated)]));
        let body = types::emit_action(&ctx, a);
        let doc = module_doc(a);
        add(
            &mut files,
            format!("{MODEL}/operation/{module}.rs"),
            quote!(#doc #allow #body),
        )?;
        let client = client::emit(&ctx, a);
        let blocking = blocking::emit(a);
        let model = naming::operation(&quote!(::gaap_model), &a.name);
        add(
            &mut files,
            format!("{CLIENT}/{module}.rs"),
            quote!(#doc #allow pub use #model::*; #client #blocking),
        )?;
        action_mods.insert(module.clone());
        client_mods.insert(module);
    }
    let mut type_mods = BTreeSet::new();
    for s in &ir.structs {
        let module = naming::snake(&s.name);
        let allow = types::any_deprecated(&s.fields).then(|| quote!(#![allow(deprecated)]));
        let body = types::emit_struct(&ctx, s);
        add(
            &mut files,
            format!("{MODEL}/types/{module}.rs"),
            quote!(#allow #body),
        )?;
        type_mods.insert(module);
    }
    add(
        &mut files,
        format!("{MODEL}/operation/mod.rs"),
        pub_mod_file(&action_mods),
    )?;
    // Every enum not private to a struct's file: shared ones and those of one action.
    let enums: Vec<_> = ctx
        .enums
        .iter()
        .filter(|e| e.home.is_none())
        .map(enums::emit)
        .collect();
    if !enums.is_empty() {
        add(
            &mut files,
            format!("{MODEL}/types/enums.rs"),
            quote!(#( #enums )*),
        )?;
        type_mods.insert("enums".to_owned());
    }
    add(
        &mut files,
        format!("{MODEL}/types/mod.rs"),
        mod_file(&type_mods),
    )?;
    add(&mut files, format!("{MODEL}/server.rs"), server::emit(&ctx))?;

    let (service, version, domain) = (&ir.service, &ir.version, &ir.domain);
    let service_error = if ir.actions.is_empty() {
        quote!()
    } else {
        errors::emit_service_error(&ctx)
    };
    let common = errors::emit_common(&ctx);
    add(
        &mut files,
        format!("{MODEL}/error.rs"),
        quote!(#common #service_error),
    )?;
    let read_prefixes = safety::READ_PREFIXES;
    add(
        &mut files,
        format!("{MODEL}/mod.rs"),
        quote! {
            pub(crate) mod error;
            pub(crate) mod operation;
            pub(crate) mod types;
            #[cfg(feature = "server")]
            pub(crate) mod server;

            /// The service name, used in the credential scope (`gaap`).
            pub const SERVICE: &str = #service;
            /// The API version, sent as `X-TC-Version`.
            pub const API_VERSION: &str = #version;
            /// The default endpoint host.
            pub const DEFAULT_ENDPOINT: &str = #domain;
            /// Name prefixes of actions that only read (the rule behind
            /// `Operation::IDEMPOTENCY`, for code that has only an action's name).
            pub const READ_ACTION_PREFIXES: &[&str] = &[#(#read_prefixes),*];
        },
    )?;
    // The waiters only add `Client` methods: a module, nothing to re-export.
    let waiters_mod = if waiter_table.is_empty() {
        quote!()
    } else {
        add(
            &mut files,
            format!("{CLIENT}/waiters.rs"),
            waiters::emit(ir, waiter_table)?,
        )?;
        quote!(
            mod waiters;
        )
    };
    let client_mod = pub_mod_file(&client_mods);
    add(
        &mut files,
        format!("{CLIENT}/mod.rs"),
        quote!(#client_mod #waiters_mod),
    )?;
    Ok(files)
}
