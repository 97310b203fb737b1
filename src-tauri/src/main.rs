// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use csm_desk_lib::cli::{self, Launch};

fn main() {
    match cli::parse(std::env::args_os().skip(1)) {
        Ok(Launch::App { data_dir }) => csm_desk_lib::run(data_dir),
        Ok(Launch::Help) => print!("{}", cli::help()),
        Ok(Launch::Version) => println!("{}", cli::version()),
        Err(message) => {
            eprintln!("csm-desk: {message}");
            std::process::exit(2);
        }
    }
}
