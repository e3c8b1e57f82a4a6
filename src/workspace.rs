//! File-system work shared by the CLI and the language server: finding the site root
//! and its config, detecting the generator, walking content roots, reading posts.
