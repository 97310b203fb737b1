//! One piece of work on a book file, for the kill tests: they run it and kill it at random points.
//!   book-work <book.sqlite> import <accounts.csv>     import the accounts in the file
//!   book-work <book.sqlite> start-of-day <YYYY-MM-DD> that day's snapshots and playbooks
//!   book-work <book.sqlite> restore <backup.sqlite>   put the backup in place of the book
//!   book-work <book.sqlite> sample <YYYY-MM-DD>       start the sample book as of that day
//!                                                     (scripts/measure.sh measures the app on it)

use std::path::Path;

use chrono::{NaiveDate, Utc};
use csm_core::exchange::{csv_read, import};
use csm_core::model::ImportKind;
use csm_core::sample::{self, SampleSpec};
use csm_core::{backup, Store};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, book, work, with] = args.as_slice() else {
        eprintln!("usage: book-work <book.sqlite> <import|start-of-day|restore|sample> <file or day>");
        std::process::exit(2);
    };
    let book = Path::new(book);
    match work.as_str() {
        "import" => {
            let table = csv_read::read(&std::fs::read(with).expect("the file")).expect("a CSV file");
            let mapping = import::propose_mapping(ImportKind::Accounts, &table.headers);
            let store = Store::open(book).expect("the book opens");
            let today = Utc::now().date_naive();
            store.apply_import(ImportKind::Accounts, &table, &mapping, Utc::now(), today).expect("imported");
        }
        "start-of-day" => {
            let day: NaiveDate = with.parse().expect("a day");
            Store::open(book).expect("the book opens").start_of_day(day, Utc::now()).expect("the day's job");
        }
        "sample" => {
            let day: NaiveDate = with.parse().expect("a day");
            let store = Store::open(book).expect("the book opens");
            store.start_book(Some(&sample::generate(&SampleSpec::DEMO, day)), Utc::now()).expect("the sample book");
            store.start_of_day(day, Utc::now()).expect("the day's job");
        }
        "restore" => backup::restore_file(Path::new(with), book, None).expect("restored"),
        other => panic!("unknown work {other}"),
    }
}
