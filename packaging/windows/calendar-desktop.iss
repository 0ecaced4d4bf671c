; Inno Setup 6 script: installs the PyInstaller bundle of calendar-desktop on Windows, with a
; Start-menu shortcut and an uninstaller (listed under Settings > Apps).
; packaging/build.py runs it as:
;   iscc /DAppVersion=X.Y.Z /DBundleDir=...\dist\calendar-desktop /DIconFile=...\calendar-desktop.ico
;        /O<dist> /F<artifact name> packaging\windows\calendar-desktop.iss

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (python packaging/build.py does)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\calendar-desktop"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\calendar-desktop.ico"
#endif
#define AppName "calendar-desktop"
#define AppExe "calendar-desktop.exe"

[Setup]
; Never change AppId: it ties upgrades and the uninstaller to earlier installs.
AppId={{719AFF9D-6EB8-468B-B4CD-F48EE5706508}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=calendar-desktop maintainers
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; Installs for the current user without admin rights; the dialog offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole bundle: calendar-desktop.exe (window), calendar-desktop-cli.exe (console, the CLI) and _internal\.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle's libraries wholesale, so nothing stale from an older version stays.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
