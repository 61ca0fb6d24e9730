; Linkboard NSIS additions, included by electron-builder (nsis.include in electron-builder.yml).
;
; Registers the linkboard:// URL scheme that custom-scheme sign-in redirects to. SHCTX is
; HKLM\Software\Classes for a per-machine install and HKCU\Software\Classes for a per-user one, so
; the scheme belongs to the same scope as the installation and leaves with it.

!macro customInstall
  WriteRegStr SHCTX "Software\Classes\linkboard" "" "URL:Linkboard sign-in"
  WriteRegStr SHCTX "Software\Classes\linkboard" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\linkboard\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\linkboard\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHCTX "Software\Classes\linkboard"
!macroend
