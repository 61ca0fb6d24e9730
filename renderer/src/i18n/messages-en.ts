/**
 * Every text the UI shows, in English, in ICU message syntax (`{name}`, `{count, plural, …}`,
 * `<strong>…</strong>`). The keys are the message ids; every other language has exactly these keys
 * and the same placeholders (checked by renderer/test/i18n-catalogue.test.ts).
 */
export const en = {
  'app.name': 'Linkboard',
  'app.windowTitle': '{page} — Linkboard',
  'app.bridgeMissing':
    'This page has to be opened by the Linkboard app: its bridge to the app is missing.',

  'starting.label': 'Opening Linkboard…',
  'unavailable.title': "Linkboard can't start",
  'unavailable.configUnreadable': "Linkboard couldn't read its configuration: {reason}",
  'common.tryAgain': 'Try again',
  'common.cancel': 'Cancel',
  'common.refresh': 'Refresh',
  'common.refreshing': 'Refreshing…',
  'common.retry': 'Retry',
  'common.retryIn': 'Retry in {seconds}s',
  'common.none': 'none',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.loading': 'Loading…',

  'crash.title': 'Something went wrong on this screen',
  'crash.lead':
    'Linkboard hit a problem while drawing it. Reloading usually helps; you stay signed in.',
  'crash.reload': 'Reload',

  'signIn.title': 'Your linked accounts, in one place',
  'signIn.lead':
    "Sign in with your organisation's account to browse the GitHub, Google and Microsoft accounts linked to it. Their passwords and tokens never reach this computer.",
  'signIn.button': 'Sign in',
  'signIn.hint': 'Sign-in opens in your web browser.',
  'signIn.waitingTitle': 'Signing in…',
  'signIn.waitingLead':
    'Finish signing in in the browser window that just opened, then come back here.',
  'signIn.completingTitle': 'Finishing sign-in…',
  'signIn.completingLead': 'Your browser is done. Linkboard is completing your sign-in.',
  'signIn.memoryOnly':
    "<strong>Sign-in won't be remembered.</strong> Linkboard found no keychain on this computer, so it keeps your sign-in in memory only: you will sign in again next time you open the app.",

  'notice.signedOut': 'You are signed out. Linkboard has forgotten your sign-in.',
  'notice.signOutIncomplete':
    "You are signed out, but Linkboard couldn't erase the sign-in saved on this computer. Sign in and out again, or remove the “Linkboard” entry from your system keychain.",
  'notice.timedOut': 'Sign-in timed out before the browser came back. Try again.',
  'notice.urlNotAllowed':
    "Linkboard didn't open the sign-in page because its address isn't your organisation's sign-in service. Check the sign-in domain in your settings.",
  'notice.couldNotStart': "Linkboard couldn't start signing in ({reason}). Try again.",
  'notice.stateMismatch':
    'The browser answered a different sign-in than the one this app started. Try again.',
  'notice.accessDenied': 'Sign-in was declined in the browser. Try again when you are ready.',
  'notice.didNotFinish':
    "Sign-in didn't finish. Try again; if it keeps happening, tell your administrator the sign-in service's code: {code}.",
  'notice.unreachable':
    "Linkboard couldn't reach your organisation's sign-in service. Check your connection and try again.",
  'notice.sessionExpired': 'Your sign-in has expired. Sign in again to continue.',
  'notice.renewalFailed':
    "Linkboard couldn't renew your sign-in because your organisation's sign-in service didn't answer. Sign in again, or check your connection.",

  'nav.main': 'Main',
  'nav.home': 'Home',
  'nav.accounts': 'Accounts',
  'nav.settings': 'Settings',
  'nav.needsAttention': 'Needs attention',
  'nav.needsAttentionHidden': ' (needs attention)',
  'nav.signOut': 'Sign out',
  'nav.signingOut': 'Signing out…',
  'nav.skipToContent': 'Skip to content',

  'profile.label': 'Your profile',
  'profile.fallbackName': 'Signed-in user',

  'home.linkedAccounts': 'Linked accounts',
  'home.loadingAccounts': 'Loading your linked accounts…',
  'home.emptyTitle': 'No accounts are linked to your sign-in yet',
  'home.emptyBody':
    "Linkboard shows data from the accounts linked to your organisation sign-in, such as GitHub, Google or Microsoft. Link one in your organisation's account settings, or ask your administrator, then refresh.",
  'home.emptyBodyConnectable':
    'Linkboard shows data from the accounts linked to your organisation sign-in, such as GitHub, Google or Microsoft. Connect one below.',

  'status.ready': 'Ready',
  'status.reconnect_required': 'Reconnect needed',
  'status.token_unavailable': 'No token available',

  'card.hintReconnect': 'Sign in with {name} again to reconnect this account.',
  'card.hintNoToken': "Your organisation doesn't share a {name} token with Linkboard.",
  'card.hintViews': '{count, plural, one {# view} other {# views}}: {titles}',
  'card.hintNoViews': 'Linkboard has no views for this kind of account yet.',
  'card.browse': 'Browse {name}',

  'connect.title': 'Connect accounts',
  'connect.lead':
    'Connect an account here to browse its data in Linkboard. Approving happens at the provider, in your browser.',
  'connect.stateConnected': 'Connected',
  'connect.stateReconnect': 'Needs reconnecting',
  'connect.stateNotConnected': 'Not connected',
  'connect.connect': 'Connect {name}',
  'connect.reconnect': 'Reconnect {name}',
  'connect.disconnect': 'Disconnect {name}',
  'connect.waiting': 'Approve {name} in your browser, then come back here.',
  'connect.completing': 'Connecting {name}…',
  'connect.disconnecting': 'Disconnecting {name}…',
  'connect.confirmTitle': 'Disconnect {name}?',
  'connect.confirmBody':
    'Linkboard will no longer show your {name} data until you connect it again. Your {name} account itself is not changed.',
  'connect.confirmYes': 'Disconnect',
  'connect.confirmNo': 'Keep connected',
  'connect.connected': '{name} is connected.',
  'connect.disconnected': '{name} is disconnected.',
  'connect.denied':
    'You declined access at {name}, so nothing was connected. Connect again when you are ready.',
  'connect.refused': '{name} did not connect ({code}). Nothing was connected; try again.',
  'connect.failed': "{name} couldn't be connected. Nothing was stored; try again.",
  'connect.timedOut': 'Connecting {name} took too long and was stopped. Nothing was connected.',
  'connect.disconnectFailed': "{name} couldn't be disconnected. Try again.",
  'connect.dismiss': 'Dismiss',

  'account.viewsLabel': '{name} views',
  'account.noViews': 'Linkboard has no views for {name} yet.',
  'account.expiredTitle':
    'Your {name} link has expired — sign in with {name} again to reconnect it.',
  'account.expiredDetail':
    "Linkboard can't show this account's data until then. Once you have signed in with {name} again, check again here.",
  'account.noTokenTitle':
    "Your organisation doesn't share a {name} token with Linkboard, so this account's data can't be shown.",
  'account.noTokenDetail':
    'Ask your administrator to let Linkboard use {name} for your account, then check again here.',
  'account.checkAgain': 'Check again',
  'account.checking': 'Checking…',

  'view.loading': 'Loading {title}…',
  'view.asOf': 'As of {time}',
  'view.emptyDefault': 'Nothing here yet.',
  'list.showing': '{count, plural, one {Showing # item} other {Showing # items}}',
  'list.allShown': '{count, plural, one {All # item shown} other {All # items shown}}',
  'list.loadMore': 'Load more',
  'list.loadAll': 'Load all',
  'list.loadingAll': 'Loading all…',
  'list.filterLabel': 'Filter the loaded rows',
  'list.filterPlaceholder': 'Filter',
  'list.matches': '{count, plural, one {# of {total} matches} other {# of {total} match}}',
  'list.noMatches': 'No loaded row matches the filter.',

  'settings.title': 'Settings and about',
  'settings.about': 'About',
  'settings.application': 'Application',
  'settings.version': 'Version',
  'settings.serviceUrl': 'Service URL',
  'settings.signInRemembered': 'Sign-in remembered',
  'settings.support': 'Support',
  'settings.openLogFolder': 'Open log folder',
  'settings.copyDiagnostics': 'Copy diagnostics',
  'settings.diagnosticsCopied':
    'Diagnostics copied — paste them into your message to the support desk.',
  'settings.supportFailed': 'That did not work. Please try again.',
  'settings.storageKeychain': 'Yes — kept encrypted, with its key in your keychain',
  'settings.storageMemory': 'No — kept in memory until you quit',
  'settings.configuration': 'Configuration',
  'settings.configCaption': 'Configuration and where each value comes from',
  'settings.colSetting': 'Setting',
  'settings.colValue': 'Value',
  'settings.colSource': 'Source',
  'settings.sourceUnknown': 'Unknown',
  'settings.language': 'Language',
  'settings.languageLabel': 'Language of the app',
  'settings.languageSystem': 'Same as this computer ({language})',
  'settings.languageManaged': 'Set by your organisation',
  'settings.languageConfigured': 'Set by the configuration ({source})',

  'config.auth0Domain': 'Sign-in domain',
  'config.clientId': 'Client ID',
  'config.brokerAudience': 'Service audience',
  'config.brokerUrl': 'Service URL',
  'config.redirectMode': 'Sign-in return',
  'config.loopbackPort': 'Sign-in return port',
  'config.updateFeedUrl': 'Update feed',
  'config.updatesEnabled': 'Automatic updates',
  'config.updateChannel': 'Update channel',
  'config.proxyUrl': 'Proxy server',
  'config.language': 'Language',
  'config.notSet': 'Not set',
  'config.on': 'On',
  'config.off': 'Off',
  'config.redirectLoopback': 'Local address on this computer',
  'config.redirectCustomScheme': 'linkboard:// link',

  'source.policy': 'Managed by your organisation',
  'source.user': 'Your settings',
  'source.environment': 'Environment variable',
  'source.command-line': 'Command line',
  'source.default': 'Built-in default',

  'updates.title': 'Updates',
  'updates.status': 'Status',
  'updates.asking': 'Asking Linkboard…',
  'updates.unknown': "Linkboard couldn't tell whether an update is under way. Try again later.",
  'updates.restarting': 'Restarting…',
  'updates.restartToInstall': 'Restart to install',
  'updates.settings': 'Update settings',
  'updates.managedBy': 'Your organisation sets {things}.',
  'updates.managed.updatesEnabled': 'whether updates are on',
  'updates.managed.updateFeedUrl': 'where they come from',
  'updates.managed.updateChannel': 'the update channel',
  'updates.notManaged': 'Not managed by your organisation',
  'updates.offDevelopment':
    'Off in this development build — installed copies of Linkboard update themselves.',
  'updates.offByPolicy':
    'Turned off by your organisation. Your IT department provides new versions of Linkboard.',
  'updates.offByConfig': 'Turned off: “Automatic updates” is Off in your configuration.',
  'updates.upToDate': 'Up to date — version {version} is the latest.',
  'updates.notChecked': 'Not checked yet — Linkboard checks for updates shortly after it starts.',
  'updates.checking': 'Checking for updates…',
  'updates.available': 'Version {version} is available — it is downloading in the background.',
  'updates.downloading': 'Downloading version {version}… {percent}%',
  'updates.downloadingLabel': 'Downloading version {version}',
  'updates.downloaded':
    'Version {version} is ready — restart Linkboard to install it (or it installs when you quit).',
  'updates.failed':
    'The last update attempt failed ({reason}). Linkboard tries again every few hours; if this keeps happening, check your internet connection or tell your IT department.',

  'web.openIn': 'Open in {name}',
  'web.copyLink': 'Copy link',
  'web.copied': 'Link copied.',
  'web.menuLabel': '{name} page',
  'web.refused': "Linkboard didn't open this link: it isn't on {name}'s own website.",

  'error.thisAccount': 'this account',
  'error.theProvider': 'The provider',
  'error.theService': 'The service',
  'error.reference': 'Request id {id}',
  'error.unreachable.title': "Linkboard can't reach its service right now",
  'error.unreachable.detailProvider':
    "{provider} isn't answering Linkboard's service. Try again in a moment.",
  'error.unreachable.detailNetwork':
    'Check your network connection, then try again. If it keeps happening, tell your administrator.',
  'error.signInRefused.title': "Linkboard's service didn't accept your sign-in",
  'error.signInRefused.detail':
    'Sign out and sign in again. If it keeps happening, tell your administrator.',
  'error.viewNotAllowed.title': "Linkboard's service doesn't allow this view",
  'error.viewNotAllowed.detail':
    'The service and this app disagree about what may be shown. Updating Linkboard may help; otherwise tell your administrator.',
  'error.generic.title': 'Something went wrong',
  'error.generic.detail': '{message} Try again; if it keeps happening, tell your administrator.',
  'error.generic.detailQuote':
    '{message} Try again; if it keeps happening, tell your administrator and quote the request id.',
  'error.reauth.title':
    'Your {provider} link has expired — sign in with {provider} again to reconnect it',
  'error.reauth.detail':
    '{provider} no longer accepts the access Linkboard had. Once you have signed in with {provider} again, try again here.',
  'error.tokenUnavailable.title': 'No {provider} access is available for your account',
  'error.tokenUnavailable.detail':
    "Your organisation's sign-in service keeps no {provider} token for you, so Linkboard can't show this data. Ask your administrator to allow it for the {provider} connection.",
  'error.notLinked.title': "{provider} isn't linked to your account",
  'error.notLinked.detail': 'Link your {provider} account to your sign-in, then try again.',
  'error.rateLimited.title': '{provider} is asking Linkboard to slow down',
  'error.rateLimited.detail':
    'Too many requests in a short time. Wait {seconds, plural, one {# second} other {# seconds}}, then try again.',
  'error.tooManyRequests.title': "You've sent Linkboard's service many requests in a short time",
  'error.tooManyRequests.detail':
    'Wait {seconds, plural, one {# second} other {# seconds}}, then try again.',
  'error.timeout.title': "Linkboard's service took too long to answer",
  'error.timeout.detail': 'It may be busy. Try again in a moment.',
  'error.keychain.title': "Linkboard can't use this computer's keychain",
  'error.keychain.detail': 'Your sign-in is kept in memory only until you quit the app.',
  'error.updateNotReady.title': 'No update is ready to install yet',
  'error.updateNotReady.detail':
    'Linkboard offers to restart once a new version has finished downloading.',
  'error.signInService.title': "Linkboard can't reach your organisation's sign-in service",
  'error.signInService.detail':
    'Linkboard needs it to renew your sign-in. Check your connection, then try again.',
  'error.tooManyWait':
    'Too many requests in a short time. You can try again in {seconds, plural, one {# second} other {# seconds}}.',
} as const;

export type MessageId = keyof typeof en;
