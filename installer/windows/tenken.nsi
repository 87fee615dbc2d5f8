; Tenken (点検) per-user Windows installer, built on Linux with Debian's makensis (NSIS 3):
;   scripts/windows-installer.sh  (make windows-installer)  →  target/windows/Tenken_<version>_x64-setup.exe
; See docs/windows.md. No administrator rights: everything goes under the user's own profile and HKCU.
; Nothing is downloaded: when the WebView2 runtime (needed by the app's window; Windows 11 ships it)
; is missing, the installer says so in Japanese and the user decides whether to continue.
;
; makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSRCDIR=<folder with the files> -DOUTFILE=<setup.exe> tenken.nsi
;   SRCDIR holds tenken-app.exe (the desktop app), WebView2Loader.dll (Microsoft's WebView2 loader,
;   which the GNU build links dynamically), tenken.exe (the CLI), LICENSE, THIRD_PARTY_NOTICES.md and
;   icon.ico.

Unicode true
Target amd64-unicode            ; a 64-bit installer: the app is x86_64 only, and the registry view is native
ManifestDPIAware true
RequestExecutionLevel user       ; per-user: no UAC prompt
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=folder"
!endif
!ifndef OUTFILE
  !define OUTFILE "Tenken_${VERSION}_x64-setup.exe"
!endif

!define PRODUCT "Tenken"
!define DISPLAYNAME "点検 Tenken"                ; the Start-menu name and the window title
!define PUBLISHER "Tenken developers"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Tenken"
; Microsoft Edge WebView2 Runtime (Evergreen) client id, as documented in "Distribute your app and
; the WebView2 Runtime" (detect an installed runtime through the "pv" value of these keys).
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${DISPLAYNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Tenken"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${DISPLAYNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1041 "ProductName" "${DISPLAYNAME}"
VIAddVersionKey /LANG=1041 "FileDescription" "${DISPLAYNAME} セットアップ"
VIAddVersionKey /LANG=1041 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1041 "LegalCopyright" "Tenken developers, Apache-2.0"
VIAddVersionKey /LANG=1041 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1041 "ProductVersion" "${VERSION}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${SRCDIR}\icon.ico"
!define MUI_UNICON "${SRCDIR}\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\tenken-app.exe"
!define MUI_FINISHPAGE_RUN_TEXT "点検アプリを起動する"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Japanese"

; $0 = the installed WebView2 runtime version, or "" when there is none. A key whose "pv" is empty
; or 0.0.0.0 is a leftover of an uninstalled runtime.
Function FindWebView2
  StrCpy $0 ""
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $0 == "0.0.0.0"
    StrCpy $0 ""
  ${EndIf}
FunctionEnd

; A program file that would be replaced or removed must not be in use: Windows refuses to overwrite
; or delete a running program, and an upgrade would leave old and new files mixed. Opening it for
; writing fails exactly then. The person closes the app (or the command window) and retries; Cancel,
; and a silent run, stop with exit code 4 and change nothing. $R9 is what the message says stops.
!macro TENKEN_WAIT_CLOSED PREFIX
Function ${PREFIX}WaitClosed
  check:
  StrCpy $R8 ""
  ${If} ${FileExists} "$INSTDIR\tenken-app.exe"
    ClearErrors
    FileOpen $0 "$INSTDIR\tenken-app.exe" a
    ${If} ${Errors}
      StrCpy $R8 "点検アプリ（tenken-app.exe）"
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} $R8 == ""
  ${AndIf} ${FileExists} "$INSTDIR\tenken.exe"
    ClearErrors
    FileOpen $0 "$INSTDIR\tenken.exe" a
    ${If} ${Errors}
      StrCpy $R8 "コマンド版（tenken.exe）"
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} $R8 != ""
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$R8 が動いています。$\r$\n$\r$\n点検 Tenken の画面やコマンドの画面を閉じてから「再試行」を押してください。$\r$\n「キャンセル」を押すと$R9を中止します（何も変更しません）。" /SD IDCANCEL IDRETRY check
    DetailPrint "$R8 が動いているため、$R9を中止しました。"
    SetErrorLevel 4
    Quit
  ${EndIf}
FunctionEnd
!macroend
!insertmacro TENKEN_WAIT_CLOSED ""
!insertmacro TENKEN_WAIT_CLOSED "un."

Function .onInit
  SetShellVarContext current
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "点検 Tenken は 64 ビット版の Windows 10 / 11 で動きます。この PC（32 ビット版）にはインストールできません。" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  Call FindWebView2
  ${If} $0 == ""
    ; Silent installs (/S) continue: a vendor installing for a clinic gets the CLI at least, and
    ; the app starts once the runtime is there.
    MessageBox MB_YESNO|MB_ICONEXCLAMATION "この PC には「Microsoft Edge WebView2 ランタイム」が見つかりません。点検アプリの画面を表示するのに必要です（Windows 11 には最初から入っています）。$\r$\n$\r$\nこのままインストールすると、アプリは WebView2 ランタイムが入るまで起動しません。コマンド版（tenken.exe）は使えます。$\r$\n$\r$\nWebView2 ランタイムは Windows Update で入れるか、院内のシステム担当者・事業者に依頼してください。このインストーラーはインターネットから何もダウンロードしません。$\r$\n$\r$\nインストールを続けますか？" /SD IDYES IDYES +3
    SetErrorLevel 3
    Quit
  ${EndIf}
FunctionEnd

Section "Tenken" SecMain
  SectionIn RO
  SetShellVarContext current
  StrCpy $R9 "インストール"
  Call WaitClosed
  SetOutPath "$INSTDIR"
  File "${SRCDIR}\tenken-app.exe"
  File "${SRCDIR}\WebView2Loader.dll"
  File "${SRCDIR}\tenken.exe"
  File "${SRCDIR}\LICENSE"
  File "${SRCDIR}\THIRD_PARTY_NOTICES.md"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${DISPLAYNAME}.lnk" "$INSTDIR\tenken-app.exe" "" "$INSTDIR\tenken-app.exe" 0 \
    SW_SHOWNORMAL "" "医療機関のサイバーセキュリティ点検"

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${DISPLAYNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\tenken-app.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

; The clinic's data (answers, evidence, reports, the signing key under %APPDATA%\Tenken and in the
; Credential Manager) is never removed: it is the inspection record.
Section "Uninstall"
  SetShellVarContext current
  StrCpy $R9 "アンインストール"
  Call un.WaitClosed
  Delete "$SMPROGRAMS\${DISPLAYNAME}.lnk"
  Delete "$INSTDIR\tenken-app.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\tenken.exe"
  Delete "$INSTDIR\LICENSE"
  Delete "$INSTDIR\THIRD_PARTY_NOTICES.md"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"                 ; only when empty: files the user put there stay
  DeleteRegKey HKCU "${UNINSTKEY}"
  DetailPrint "点検の記録（%APPDATA%\Tenken）は削除していません。"
SectionEnd
