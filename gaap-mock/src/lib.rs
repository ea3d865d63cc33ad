//! A local GAAP emulator.
