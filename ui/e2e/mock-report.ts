// Mock answers of the report / settings commands for the screen tests (SYNTHETIC data: a made-up
// clinic, file names and fingerprint; no real report). Returns undefined for other commands.
type Json = Record<string, unknown>;
const txt = (ja: string, en: string) => ({ ja, en });
const FP = 'A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90';
const DIR = '/home/clinic/ドキュメント/Tenken';

const reports: Json[] = [];
let folder: Json = { dir: DIR, is_default: true };

function entry(id: number): Json {
  // Readable names as the app writes them: 医療機関名_年度_日付 (SYNTHETIC clinic).
  const stem = `さくら内科クリニック_2026年度_2026-11-2${id}`;
  return {
    id, created_at: `2026-11-2${id}T00:30:00+00:00`, fiscal_year: 2026,
    file_name: `${stem}_点検報告書.pdf`, path: `${DIR}/${stem}_点検報告書.pdf`,
    folder: DIR, exists: true, sha256: '00'.repeat(32), xlsx: `${DIR}/${stem}_チェックリスト.xlsx`,
  };
}

const signature = (valid: boolean): Json => ({
  field: 'TenkenSignature1', signer: 'さくら内科クリニック', signer_subject: 'CN=さくら内科クリニック,O=Tenken',
  signer_issuer: 'CN=さくら内科クリニック,O=Tenken', signing_time: '2026-11-24T09:30:00+09:00',
  signing_time_raw: "D:20261124093000+09'00'", fingerprint_sha256: FP, intact: valid,
  after_signing: valid ? 'nothing' : 'other_modifications', trusted: null, this_installation: true, valid,
  findings: valid ? [] : [
    txt('署名の後に、ファイルの内容が書き換えられています。', 'The content was changed after it was signed.'),
    txt('署名の後に、署名以外の変更が書き足されています。', 'Changes other than signatures were added after signing.'),
  ],
  problems: valid ? [] : ['digest mismatch', 'modified after signing: object 12 0 was changed'],
});

export function reportMock(cmd: string, args: Json): unknown {
  switch (cmd) {
    case 'report_folder': return folder;
    case 'set_report_folder':
      folder = args.path ? { dir: args.path, is_default: false } : { dir: DIR, is_default: true };
      return folder;
    case 'list_reports': return [...reports].reverse();
    case 'generate_report': {
      const e = entry(reports.length + 4);
      reports.push(e);
      return e;
    }
    case 'open_report': case 'open_report_folder': return null;
    case 'plugin:dialog|open': {
      const o = (args.options ?? {}) as Json;
      return o.directory ? '/media/usb/報告書' : '/home/clinic/受け取った報告書.pdf';
    }
    case 'verify_stored_report': {
      const e = reports.find((r) => r.id === args.id);
      return {
        file_name: e?.file_name ?? '', kind: 'pdf', status: 'valid',
        summary: txt('有効です。署名の後に変更されていません。', 'Valid. Nothing was changed after signing.'),
        signatures: [signature(true)], message: null, bundle_sha256: null,
      };
    }
    case 'verify_report': {
      const path = String(args.path ?? '');
      if (!path.endsWith('.pdf')) {
        throw { code: 'invalid_input', ja: 'このファイルは報告書の PDF でも証跡バンドル（.json）でもありません。確かめられません。', en: 'Not a report PDF or bundle' };
      }
      return {
        file_name: path.split('/').pop(), kind: 'pdf', status: 'invalid',
        summary: txt('無効です。署名の後に変更されたか、署名が正しくありません。', 'Not valid: changed after signing, or the signature is not correct.'),
        signatures: [signature(false)], message: null, bundle_sha256: null,
      };
    }
    case 'certificate_info': return {
      name: 'さくら内科クリニック', subject: 'CN=さくら内科クリニック,O=Tenken', issuer: 'CN=さくら内科クリニック,O=Tenken',
      fingerprint_sha256: FP, not_before: '2026-11-20T00:00:00Z', not_after: '2036-11-23T00:00:00Z', self_signed: true,
      source: txt('自己署名（この端末で作成）', 'self-signed'),
      key_storage: txt('OSのキーストア（Secret Service）', 'OS key store (Secret Service)'),
    };
    default: return undefined;
  }
}
