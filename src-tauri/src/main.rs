//! The desktop binary: hands over to the library so the same wiring is testable.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    cloudcreds_app::run();
}
