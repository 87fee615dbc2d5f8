//! Types of the Vendor sheet screen (事業者確認用), generated into TypeScript by ts-rs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::{AnswerDto, ItemView};

/// Where a vendor's sheet stands this fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VendorProgressDto {
    /// 未依頼.
    NotRequested,
    /// 依頼済み.
    Requested,
    /// 回答済み (every row answered, none いいえ).
    Answered,
    /// 要確認 (rows unanswered or いいえ).
    NeedsReview,
}

/// Where the answers came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnswerSourceDto {
    /// No answers yet.
    None,
    /// Imported from a file signed by the vendor, signature verified against a trusted
    /// certificate.
    SignedVerified,
    /// Imported from a signed file whose signer is not trusted.
    SignedUnverified,
    /// Entered in the app (from paper or together with the vendor).
    ByHand,
}

/// One vendor of the clinic profile with its sheet's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorStateDto {
    /// Vendor name.
    pub name: String,
    /// Contact.
    pub contact: String,
    /// Systems the vendor provides or maintains.
    pub systems: Vec<String>,
    /// False for a sheet of a vendor no longer in the profile.
    pub in_profile: bool,
    /// Where the sheet stands.
    pub progress: VendorProgressDto,
    /// Where the answers came from.
    pub source: AnswerSourceDto,
    /// Date of the last change (YYYY-MM-DD, this PC's time), when a sheet exists.
    pub updated_on: Option<String>,
    /// Signer of imported answers.
    pub signer: Option<String>,
    /// Rows of the vendor sheet.
    pub rows: u32,
    /// Rows answered.
    pub answered: u32,
    /// Rows answered いいえ.
    pub no: u32,
    /// Suggested file name of the request file.
    pub request_file_name: String,
}

/// The Vendor screen: this fiscal year and every vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorOverviewDto {
    /// This fiscal year.
    pub fiscal_year: u16,
    /// Vendors (profile order, then vendors with a sheet no longer in the profile).
    pub vendors: Vec<VendorStateDto>,
}

/// The result of writing a request file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RequestWrittenDto {
    /// Where it was written.
    pub path: String,
    /// Number of items asked.
    pub items: u32,
}

/// The result of reading a vendor's answer file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorImportDto {
    /// `imported`, or `untrusted`: intact and signed, but by a certificate not trusted yet
    /// (nothing stored; the person may trust it after comparing the fingerprint).
    pub outcome: String,
    /// Vendor name in the file.
    pub vendor: String,
    /// Fiscal year in the file.
    pub fiscal_year: u16,
    /// Number of answers.
    pub answers: u32,
    /// Signer's name.
    pub signer: String,
    /// Signer's certificate fingerprint (SHA-256).
    pub fingerprint: String,
}

/// A vendor's sheet for entering answers in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VendorSheetDto {
    /// Vendor name.
    pub vendor: String,
    /// Fiscal year.
    pub fiscal_year: u16,
    /// Checklist id.
    pub checklist_id: String,
    /// Items of the vendor sheet in form order.
    pub items: Vec<ItemView>,
    /// Answers stored so far.
    pub answers: Vec<AnswerDto>,
}
