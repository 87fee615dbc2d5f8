//! Keys, certificates and signatures: PAdES signing of reports, CMS signing of bundles, verify.
