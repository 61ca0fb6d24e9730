import type { MessageId } from './messages-en';

/** Every text of messages-en.ts in German ("Sie"), same keys and placeholders. */
export const de: Record<MessageId, string> = {
  'app.name': 'Linkboard',
  'app.windowTitle': '{page} — Linkboard',
  'app.bridgeMissing':
    'Diese Seite muss von der Linkboard-App geöffnet werden: Ihre Verbindung zur App fehlt.',

  'starting.label': 'Linkboard wird geöffnet…',
  'unavailable.title': 'Linkboard kann nicht starten',
  'unavailable.configUnreadable': 'Linkboard konnte seine Konfiguration nicht lesen: {reason}',
  'common.tryAgain': 'Erneut versuchen',
  'common.cancel': 'Abbrechen',
  'common.refresh': 'Aktualisieren',
  'common.refreshing': 'Wird aktualisiert…',
  'common.retry': 'Wiederholen',
  'common.retryIn': 'Wiederholen in {seconds} s',
  'common.none': 'keine Angabe',
  'common.yes': 'Ja',
  'common.no': 'Nein',
  'common.loading': 'Wird geladen…',

  'crash.title': 'Auf dieser Seite ist etwas schiefgegangen',
  'crash.lead':
    'Linkboard hatte beim Darstellen ein Problem. Neu laden hilft meistens; Sie bleiben angemeldet.',
  'crash.reload': 'Neu laden',

  'signIn.title': 'Ihre verknüpften Konten an einem Ort',
  'signIn.lead':
    'Melden Sie sich mit dem Konto Ihrer Organisation an, um die damit verknüpften GitHub-, Google- und Microsoft-Konten zu durchsuchen. Deren Passwörter und Tokens erreichen diesen Computer nie.',
  'signIn.button': 'Anmelden',
  'signIn.hint': 'Die Anmeldung öffnet sich in Ihrem Webbrowser.',
  'signIn.waitingTitle': 'Anmeldung läuft…',
  'signIn.waitingLead':
    'Schließen Sie die Anmeldung im eben geöffneten Browserfenster ab und kehren Sie dann hierher zurück.',
  'signIn.completingTitle': 'Anmeldung wird abgeschlossen…',
  'signIn.completingLead': 'Ihr Browser ist fertig. Linkboard schließt Ihre Anmeldung ab.',
  'signIn.memoryOnly':
    '<strong>Die Anmeldung wird nicht gespeichert.</strong> Linkboard hat auf diesem Computer keinen Schlüsselbund gefunden und hält Ihre Anmeldung nur im Arbeitsspeicher: Beim nächsten Öffnen der App melden Sie sich erneut an.',

  'notice.signedOut': 'Sie sind abgemeldet. Linkboard hat Ihre Anmeldung vergessen.',
  'notice.signOutIncomplete':
    'Sie sind abgemeldet, aber Linkboard konnte die auf diesem Computer gespeicherte Anmeldung nicht löschen. Melden Sie sich erneut an und wieder ab, oder entfernen Sie den Eintrag „Linkboard“ aus Ihrem Schlüsselbund.',
  'notice.timedOut':
    'Die Anmeldung ist abgelaufen, bevor der Browser zurückkam. Versuchen Sie es erneut.',
  'notice.urlNotAllowed':
    'Linkboard hat die Anmeldeseite nicht geöffnet, weil ihre Adresse nicht zum Anmeldedienst Ihrer Organisation gehört. Prüfen Sie die Anmeldedomain in Ihren Einstellungen.',
  'notice.couldNotStart':
    'Linkboard konnte die Anmeldung nicht starten ({reason}). Versuchen Sie es erneut.',
  'notice.stateMismatch':
    'Der Browser hat auf eine andere Anmeldung geantwortet als die, die diese App gestartet hat. Versuchen Sie es erneut.',
  'notice.accessDenied':
    'Die Anmeldung wurde im Browser abgelehnt. Versuchen Sie es erneut, wenn Sie so weit sind.',
  'notice.didNotFinish':
    'Die Anmeldung wurde nicht abgeschlossen. Versuchen Sie es erneut; wenn es wieder geschieht, nennen Sie Ihrer Administration den Code des Anmeldedienstes: {code}.',
  'notice.unreachable':
    'Linkboard hat den Anmeldedienst Ihrer Organisation nicht erreicht. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'notice.sessionExpired': 'Ihre Anmeldung ist abgelaufen. Melden Sie sich erneut an.',
  'notice.renewalFailed':
    'Linkboard konnte Ihre Anmeldung nicht erneuern, weil der Anmeldedienst Ihrer Organisation nicht geantwortet hat. Melden Sie sich erneut an oder prüfen Sie Ihre Verbindung.',

  'nav.main': 'Hauptnavigation',
  'nav.home': 'Start',
  'nav.accounts': 'Konten',
  'nav.settings': 'Einstellungen',
  'nav.needsAttention': 'Braucht Aufmerksamkeit',
  'nav.needsAttentionHidden': ' (braucht Aufmerksamkeit)',
  'nav.signOut': 'Abmelden',
  'nav.signingOut': 'Abmeldung läuft…',
  'nav.skipToContent': 'Zum Inhalt springen',

  'profile.label': 'Ihr Profil',
  'profile.fallbackName': 'Angemeldete Person',

  'home.linkedAccounts': 'Verknüpfte Konten',
  'home.loadingAccounts': 'Ihre verknüpften Konten werden geladen…',
  'home.emptyTitle': 'Mit Ihrer Anmeldung ist noch kein Konto verknüpft',
  'home.emptyBody':
    'Linkboard zeigt Daten der Konten, die mit der Anmeldung Ihrer Organisation verknüpft sind, etwa GitHub, Google oder Microsoft. Verknüpfen Sie eines in den Kontoeinstellungen Ihrer Organisation oder fragen Sie Ihre Administration, und aktualisieren Sie dann.',
  'home.emptyBodyConnectable':
    'Linkboard zeigt Daten der Konten, die mit der Anmeldung Ihrer Organisation verknüpft sind, etwa GitHub, Google oder Microsoft. Verbinden Sie unten eines.',

  'status.ready': 'Bereit',
  'status.reconnect_required': 'Neu verbinden',
  'status.token_unavailable': 'Kein Token verfügbar',

  'card.hintReconnect': 'Melden Sie sich erneut mit {name} an, um dieses Konto neu zu verbinden.',
  'card.hintNoToken': 'Ihre Organisation gibt Linkboard kein {name}-Token.',
  'card.hintViews': '{count, plural, one {# Ansicht} other {# Ansichten}}: {titles}',
  'card.hintNoViews': 'Linkboard hat für diese Art von Konto noch keine Ansichten.',
  'card.browse': '{name} durchsuchen',

  'connect.title': 'Konten verbinden',
  'connect.lead':
    'Verbinden Sie hier ein Konto, um seine Daten in Linkboard zu durchsuchen. Die Zustimmung geben Sie beim Anbieter, in Ihrem Browser.',
  'connect.stateConnected': 'Verbunden',
  'connect.stateReconnect': 'Neu verbinden nötig',
  'connect.stateNotConnected': 'Nicht verbunden',
  'connect.connect': '{name} verbinden',
  'connect.reconnect': '{name} neu verbinden',
  'connect.disconnect': '{name} trennen',
  'connect.waiting': 'Stimmen Sie {name} in Ihrem Browser zu und kehren Sie dann hierher zurück.',
  'connect.completing': '{name} wird verbunden…',
  'connect.disconnecting': '{name} wird getrennt…',
  'connect.confirmTitle': '{name} trennen?',
  'connect.confirmBody':
    'Linkboard zeigt Ihre Daten von {name} erst wieder, wenn Sie das Konto erneut verbinden. Ihr Konto bei {name} selbst bleibt unverändert.',
  'connect.confirmYes': 'Trennen',
  'connect.confirmNo': 'Verbunden lassen',
  'connect.connected': '{name} ist verbunden.',
  'connect.disconnected': '{name} ist getrennt.',
  'connect.denied':
    'Sie haben den Zugriff bei {name} abgelehnt, daher wurde nichts verbunden. Verbinden Sie es erneut, wenn Sie so weit sind.',
  'connect.refused':
    '{name} wurde nicht verbunden ({code}). Es wurde nichts verbunden; versuchen Sie es erneut.',
  'connect.failed':
    '{name} konnte nicht verbunden werden. Es wurde nichts gespeichert; versuchen Sie es erneut.',
  'connect.timedOut':
    'Das Verbinden von {name} hat zu lange gedauert und wurde abgebrochen. Es wurde nichts verbunden.',
  'connect.disconnectFailed': '{name} konnte nicht getrennt werden. Versuchen Sie es erneut.',
  'connect.dismiss': 'Schließen',

  'account.viewsLabel': 'Ansichten von {name}',
  'account.noViews': 'Linkboard hat für {name} noch keine Ansichten.',
  'account.expiredTitle':
    'Ihre Verknüpfung mit {name} ist abgelaufen — melden Sie sich erneut mit {name} an, um sie neu zu verbinden.',
  'account.expiredDetail':
    'Bis dahin kann Linkboard die Daten dieses Kontos nicht zeigen. Wenn Sie sich erneut mit {name} angemeldet haben, prüfen Sie es hier noch einmal.',
  'account.noTokenTitle':
    'Ihre Organisation gibt Linkboard kein {name}-Token, daher können die Daten dieses Kontos nicht gezeigt werden.',
  'account.noTokenDetail':
    'Bitten Sie Ihre Administration, Linkboard {name} für Ihr Konto nutzen zu lassen, und prüfen Sie es dann hier noch einmal.',
  'account.checkAgain': 'Erneut prüfen',
  'account.checking': 'Wird geprüft…',

  'view.loading': '{title} wird geladen…',
  'view.asOf': 'Stand {time}',
  'view.emptyDefault': 'Hier ist noch nichts.',
  'list.showing': '{count, plural, one {# Eintrag angezeigt} other {# Einträge angezeigt}}',
  'list.allShown':
    '{count, plural, one {# Eintrag, alle angezeigt} other {Alle # Einträge angezeigt}}',
  'list.loadMore': 'Mehr laden',
  'list.loadAll': 'Alle laden',
  'list.loadingAll': 'Alle werden geladen…',
  'list.filterLabel': 'Geladene Zeilen filtern',
  'list.filterPlaceholder': 'Filtern',
  'list.matches': '{count, plural, one {# von {total} passt} other {# von {total} passen}}',
  'list.noMatches': 'Keine geladene Zeile passt zum Filter.',

  'settings.title': 'Einstellungen und Info',
  'settings.about': 'Info',
  'settings.application': 'Anwendung',
  'settings.version': 'Version',
  'settings.serviceUrl': 'Dienst-URL',
  'settings.signInRemembered': 'Anmeldung gespeichert',
  'settings.support': 'Support',
  'settings.openLogFolder': 'Protokollordner öffnen',
  'settings.copyDiagnostics': 'Diagnosedaten kopieren',
  'settings.diagnosticsCopied':
    'Diagnosedaten kopiert – fügen Sie sie in Ihre Nachricht an den Support ein.',
  'settings.supportFailed': 'Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
  'settings.storageKeychain': 'Ja — verschlüsselt, der Schlüssel liegt in Ihrem Schlüsselbund',
  'settings.storageMemory': 'Nein — nur im Arbeitsspeicher, bis Sie die App beenden',
  'settings.configuration': 'Konfiguration',
  'settings.configCaption': 'Konfiguration und woher jeder Wert stammt',
  'settings.colSetting': 'Einstellung',
  'settings.colValue': 'Wert',
  'settings.colSource': 'Quelle',
  'settings.sourceUnknown': 'Unbekannt',
  'settings.language': 'Sprache',
  'settings.languageLabel': 'Sprache der App',
  'settings.languageSystem': 'Wie dieser Computer ({language})',
  'settings.languageManaged': 'Von Ihrer Organisation festgelegt',
  'settings.languageConfigured': 'Durch die Konfiguration festgelegt ({source})',

  'config.auth0Domain': 'Anmeldedomain',
  'config.clientId': 'Client-ID',
  'config.brokerAudience': 'Dienst-Audience',
  'config.brokerUrl': 'Dienst-URL',
  'config.redirectMode': 'Rückkehr nach der Anmeldung',
  'config.loopbackPort': 'Port für die Rückkehr',
  'config.updateFeedUrl': 'Update-Quelle',
  'config.updatesEnabled': 'Automatische Updates',
  'config.updateChannel': 'Update-Kanal',
  'config.proxyUrl': 'Proxyserver',
  'config.language': 'Sprache',
  'config.notSet': 'Nicht gesetzt',
  'config.on': 'An',
  'config.off': 'Aus',
  'config.redirectLoopback': 'Lokale Adresse auf diesem Computer',
  'config.redirectCustomScheme': 'linkboard://-Link',

  'source.policy': 'Von Ihrer Organisation verwaltet',
  'source.user': 'Ihre Einstellungen',
  'source.environment': 'Umgebungsvariable',
  'source.command-line': 'Befehlszeile',
  'source.default': 'Voreinstellung',

  'updates.title': 'Updates',
  'updates.status': 'Status',
  'updates.asking': 'Linkboard wird gefragt…',
  'updates.unknown':
    'Linkboard konnte nicht feststellen, ob ein Update läuft. Versuchen Sie es später erneut.',
  'updates.restarting': 'Wird neu gestartet…',
  'updates.restartToInstall': 'Neu starten und installieren',
  'updates.settings': 'Update-Einstellungen',
  'updates.managedBy': 'Ihre Organisation legt {things} fest.',
  'updates.managed.updatesEnabled': 'ob Updates an sind',
  'updates.managed.updateFeedUrl': 'die Update-Quelle',
  'updates.managed.updateChannel': 'den Update-Kanal',
  'updates.notManaged': 'Nicht von Ihrer Organisation verwaltet',
  'updates.offDevelopment':
    'Aus in dieser Entwicklungsversion — installierte Kopien von Linkboard aktualisieren sich selbst.',
  'updates.offByPolicy':
    'Von Ihrer Organisation abgeschaltet. Ihre IT-Abteilung stellt neue Versionen von Linkboard bereit.',
  'updates.offByConfig': 'Abgeschaltet: „Automatische Updates“ ist in Ihrer Konfiguration aus.',
  'updates.upToDate': 'Aktuell — Version {version} ist die neueste.',
  'updates.notChecked': 'Noch nicht geprüft — Linkboard sucht kurz nach dem Start nach Updates.',
  'updates.checking': 'Suche nach Updates…',
  'updates.available': 'Version {version} ist verfügbar — sie wird im Hintergrund geladen.',
  'updates.downloading': 'Version {version} wird geladen… {percent} %',
  'updates.downloadingLabel': 'Version {version} wird geladen',
  'updates.downloaded':
    'Version {version} ist bereit — starten Sie Linkboard neu, um sie zu installieren (oder sie wird beim Beenden installiert).',
  'updates.failed':
    'Der letzte Update-Versuch ist fehlgeschlagen ({reason}). Linkboard versucht es alle paar Stunden erneut; wenn das immer wieder passiert, prüfen Sie Ihre Internetverbindung oder wenden Sie sich an Ihre IT-Abteilung.',

  'web.openIn': 'In {name} öffnen',
  'web.copyLink': 'Link kopieren',
  'web.copied': 'Link kopiert.',
  'web.menuLabel': 'Seite bei {name}',
  'web.refused':
    'Linkboard hat diesen Link nicht geöffnet: Er führt nicht auf die Website von {name}.',

  'error.thisAccount': 'dieses Konto',
  'error.theProvider': 'Der Anbieter',
  'error.theService': 'Der Dienst',
  'error.reference': 'Anfrage-ID {id}',
  'error.unreachable.title': 'Linkboard erreicht seinen Dienst gerade nicht',
  'error.unreachable.detailProvider':
    '{provider} antwortet dem Dienst von Linkboard nicht. Versuchen Sie es gleich noch einmal.',
  'error.unreachable.detailNetwork':
    'Prüfen Sie Ihre Netzwerkverbindung und versuchen Sie es dann erneut. Wenn das immer wieder passiert, wenden Sie sich an Ihre Administration.',
  'error.signInRefused.title': 'Der Dienst von Linkboard hat Ihre Anmeldung nicht angenommen',
  'error.signInRefused.detail':
    'Melden Sie sich ab und wieder an. Wenn das immer wieder passiert, wenden Sie sich an Ihre Administration.',
  'error.viewNotAllowed.title': 'Der Dienst von Linkboard erlaubt diese Ansicht nicht',
  'error.viewNotAllowed.detail':
    'Der Dienst und diese App sind sich nicht einig, was gezeigt werden darf. Ein Update von Linkboard kann helfen; sonst wenden Sie sich an Ihre Administration.',
  'error.generic.title': 'Etwas ist schiefgegangen',
  'error.generic.detail':
    '{message} Versuchen Sie es erneut; wenn das immer wieder passiert, wenden Sie sich an Ihre Administration.',
  'error.generic.detailQuote':
    '{message} Versuchen Sie es erneut; wenn das immer wieder passiert, wenden Sie sich an Ihre Administration und nennen Sie die Anfrage-ID.',
  'error.reauth.title':
    'Ihre Verknüpfung mit {provider} ist abgelaufen — melden Sie sich erneut mit {provider} an, um sie neu zu verbinden',
  'error.reauth.detail':
    '{provider} akzeptiert den Zugriff von Linkboard nicht mehr. Wenn Sie sich erneut mit {provider} angemeldet haben, versuchen Sie es hier noch einmal.',
  'error.tokenUnavailable.title': 'Für Ihr Konto ist kein Zugriff auf {provider} verfügbar',
  'error.tokenUnavailable.detail':
    'Der Anmeldedienst Ihrer Organisation speichert für Sie kein {provider}-Token, daher kann Linkboard diese Daten nicht zeigen. Bitten Sie Ihre Administration, es für die Verbindung {provider} zu erlauben.',
  'error.notLinked.title': '{provider} ist nicht mit Ihrem Konto verknüpft',
  'error.notLinked.detail':
    'Verknüpfen Sie Ihr {provider}-Konto mit Ihrer Anmeldung und versuchen Sie es dann erneut.',
  'error.rateLimited.title': '{provider} bittet Linkboard, langsamer zu werden',
  'error.rateLimited.detail':
    'Zu viele Anfragen in kurzer Zeit. Warten Sie {seconds, plural, one {# Sekunde} other {# Sekunden}} und versuchen Sie es dann erneut.',
  'error.tooManyRequests.title':
    'Sie haben dem Dienst von Linkboard in kurzer Zeit viele Anfragen geschickt',
  'error.tooManyRequests.detail':
    'Warten Sie {seconds, plural, one {# Sekunde} other {# Sekunden}} und versuchen Sie es dann erneut.',
  'error.timeout.title': 'Der Dienst von Linkboard hat zu lange für eine Antwort gebraucht',
  'error.timeout.detail': 'Er ist vielleicht ausgelastet. Versuchen Sie es gleich noch einmal.',
  'error.keychain.title': 'Linkboard kann den Schlüsselbund dieses Computers nicht verwenden',
  'error.keychain.detail':
    'Ihre Anmeldung wird nur im Arbeitsspeicher gehalten, bis Sie die App beenden.',
  'error.updateNotReady.title': 'Noch ist kein Update zum Installieren bereit',
  'error.updateNotReady.detail':
    'Linkboard bietet einen Neustart an, sobald eine neue Version fertig geladen ist.',
  'error.signInService.title': 'Linkboard erreicht den Anmeldedienst Ihrer Organisation nicht',
  'error.signInService.detail':
    'Linkboard braucht ihn, um Ihre Anmeldung zu erneuern. Prüfen Sie Ihre Verbindung und versuchen Sie es dann erneut.',
  'error.tooManyWait':
    'Zu viele Anfragen in kurzer Zeit. Sie können es in {seconds, plural, one {# Sekunde} other {# Sekunden}} erneut versuchen.',
};
