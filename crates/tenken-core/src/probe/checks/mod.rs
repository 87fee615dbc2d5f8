//! The host probe set: OS support, patches, remote access, accounts, encryption, screen lock,
//! USB, SMBv1, logs, Wi-Fi and backups. Each module is a pure probe (plan + evaluate).

pub mod accounts_local;
pub mod accounts_policy;
pub mod backup_evidence;
pub mod disk_encryption;
pub mod kit;
pub mod log_retention;
pub mod os_patches;
pub mod os_support;
pub mod remote_rdp;
pub mod remote_tools;
pub mod screen_lock;
pub mod smb_v1;
pub mod usb_storage;
pub mod wifi_security;

use crate::probe::Probe;

/// All host probes, for the registry.
pub fn host_probes() -> Vec<Box<dyn Probe>> {
    vec![
        Box::new(os_support::OsSupport::new()),
        Box::new(os_patches::OsPatches::new()),
        Box::new(remote_rdp::RemoteRdp::new()),
        Box::new(remote_tools::RemoteTools::new()),
        Box::new(accounts_policy::AccountsPolicy::new()),
        Box::new(accounts_local::AccountsLocal::new()),
        Box::new(disk_encryption::DiskEncryption::new()),
        Box::new(screen_lock::ScreenLock::new()),
        Box::new(usb_storage::UsbStorage::new()),
        Box::new(smb_v1::SmbV1::new()),
        Box::new(log_retention::LogRetention::new()),
        Box::new(wifi_security::WifiSecurity::new()),
        Box::new(backup_evidence::BackupEvidence::new()),
    ]
}
