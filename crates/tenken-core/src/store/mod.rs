//! SQLite storage of assessments, answers, bundles and report history, with migrations.
