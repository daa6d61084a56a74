package i18n

// Messages of the platform checks: csp, csp-license, plugin, ie-zones,
// capicom, browser-cache, gost-tls-browser.
func init() { add(RU, ruChecksPlatform) }

func ruChecksPlatform() map[string]string {
	return map[string]string{
		"platform.note.inferred":            "то, что %s нужно «%s», выведено из косвенных данных и документацией сайта не подтверждено; поэтому замечания — предупреждения",
		"platform.req.csp":                  "КриптоПро CSP",
		"platform.req.plugin":               "КриптоПро ЭЦП Browser plug-in",
		"platform.req.ifc_plugin":           "плагин Госуслуг",
		"platform.req.ie_zone":              "сайт в надёжной зоне Internet Explorer",
		"platform.req.capicom":              "CAPICOM",
		"platform.req.gost_tls":             "браузер с ГОСТ-TLS",
		"platform.req.russian_trusted_root": "корневой сертификат Russian Trusted Root CA",
		"platform.req.browser_cache_advice": "очистка кэша браузера при ошибке 400",

		"check.csp.title": "КриптоПро CSP",
		"check.csp.doc": "Установлен ли КриптоПро CSP, его сборка, регистрация в CryptoAPI, конфликты.\n" +
			"Проверяет сборку и класс, регистрацию провайдеров в CryptoAPI и нет ли рядом другого криптопровайдера. " +
			"Windows: свойства MSI-пакета (InstallProperties), ключ HKLM\\SOFTWARE\\Crypto Pro, провайдеры в HKLM\\SOFTWARE\\Microsoft\\Cryptography\\Defaults\\Provider, csptest.exe. " +
			"Linux: /opt/cprocsp/bin/<arch>/csptest -keyset -verifycontext и версия пакета lsb-cprocsp-base. " +
			"Настройки: min_build, min_build_gost_tls (5.0), known_bad_builds, ignore_providers.",
		"csp.summary":                      "%s %s",
		"csp.summary.unknown-version":      "версия не определена",
		"csp.note.found":                   "КриптоПро CSP %s (класс %s), найден: %s",
		"csp.note.package":                 "пакет %s: версия %s",
		"csp.version-unknown":              "КриптоПро CSP установлен (%s), но версию определить не удалось; csptest ответил: %s",
		"csp.version-unknown.hint":         "Запустите команду ниже и проверьте, что КриптоПро CSP работает; при ошибке переустановите его",
		"csp.not-installed":                "КриптоПро CSP не установлен (искали: %s)",
		"csp.not-installed.hint.windows":   "Скачайте КриптоПро CSP с cryptopro.ru (нужна регистрация) и запустите установщик от имени администратора командой ниже",
		"csp.not-installed.hint.linux":     "Скачайте архив КриптоПро CSP для Linux с cryptopro.ru (нужна регистрация), распакуйте и запустите установку командами ниже",
		"csp.upgrade.hint":                 "Установите более новую сборку КриптоПро CSP с cryptopro.ru поверх текущей",
		"csp.too-old-for-site":             "сборка КриптоПро CSP %s старше минимальной %s для %s",
		"csp.too-old":                      "сборка КриптоПро CSP %s старше минимальной %s из настроек (checks.csp.min_build)",
		"csp.old-for-gost-tls":             "сборка КриптоПро CSP %s старше %s: с современными браузерами и Windows 11 ГОСТ-TLS на ней, вероятно, не заработает",
		"csp.known-problem-build":          "сборка КриптоПро CSP %s в списке проблемных (checks.csp.known_bad_builds): %s",
		"csp.note.providers-unread":        "не удалось прочитать %s: %s",
		"csp.provider-not-registered":      "криптопровайдер не зарегистрирован в CryptoAPI: %s (ключ %s)",
		"csp.provider-not-registered.hint": "Переустановите КриптоПро CSP от имени администратора",
		"csp.other-csp":                    "в CryptoAPI зарегистрированы другие криптопровайдеры: %s (ключ %s); возможен конфликт с КриптоПро CSP",
		"csp.other-csp.hint":               "Если подпись не работает, отключите интеграцию другого СКЗИ с CryptoAPI или удалите его («Программы и компоненты»); ненужные предупреждения скройте настройкой checks.csp.ignore_providers",

		"check.csp-license.title": "Лицензия КриптоПро CSP",
		"check.csp-license.doc": "Действует ли лицензия КриптоПро CSP и когда истекает.\n" +
			"Команда cpconfig -license -view (Linux: /opt/cprocsp/sbin/<arch>/cpconfig); на Windows без cpconfig.exe — только серийный номер из свойств MSI-пакета. " +
			"Настройка: warn_days (30) — за сколько дней до окончания предупреждать.",
		"csp-license.skip.no-csp":         "КриптоПро CSP не установлен",
		"csp-license.summary.unknown":     "формат не распознан",
		"csp-license.format-unknown":      "вывод «%s» не распознан; первая строка: %s",
		"csp-license.format-unknown.hint": "Запустите команду ниже и проверьте срок лицензии вручную",
		"csp-license.summary.invalid":     "лицензия недействительна",
		"csp-license.invalid":             "«%s» сообщает об ошибке лицензии: %s",
		"csp-license.note.serial":         "серийный номер: %s",
		"csp-license.type-unknown":        "тип не указан",
		"csp-license.expired":             "лицензия КриптоПро CSP (%s) истекла (по выводу «%s»)",
		"csp-license.demo-expired":        "демонстрационная лицензия КриптоПро CSP истекла (по выводу «%s»)",
		"csp-license.summary.expired":     "лицензия истекла",
		"csp-license.summary.permanent":   "%s, бессрочная",
		"csp-license.summary.days":        "%s, осталось %d дн.",
		"csp-license.expires-soon":        "лицензия КриптоПро CSP (%s) истекает через %d дн. (порог предупреждения %d дн.; по выводу «%s»)",
		"csp-license.note.demo":           "демонстрационная лицензия: осталось %d дн.",
		"csp-license.summary.no-expiry":   "%s, срок не указан",
		"csp-license.note.no-expiry":      "вывод «%s» не содержит срока действия",
		"csp-license.summary.serial-only": "срок неизвестен",
		"csp-license.expiry-unknown":      "серийный номер лицензии %s есть (%s), но срок её действия без cpconfig.exe на Windows не узнать (не найден %s)",
		"csp-license.expiry-unknown.hint": "Откройте «КриптоПро CSP» (команда ниже) → вкладка «Общие» и посмотрите срок действия лицензии",
		"csp-license.no-cpconfig":         "не найден %s — лицензию проверить нечем",
		"csp-license.no-cpconfig.hint":    "Переустановите КриптоПро CSP: утилита cpconfig входит в его состав",
		"csp-license.set.hint.windows":    "Введите серийный номер лицензии от имени администратора командой ниже (или «КриптоПро CSP» → «Общие» → «Ввод лицензии…»)",
		"csp-license.set.hint.linux":      "Введите серийный номер лицензии командой ниже (номер — из бланка лицензии)",

		"check.plugin.title": "КриптоПро ЭЦП Browser plug-in",
		"check.plugin.doc": "Плагин КриптоПро, расширение в браузерах, доверенные узлы.\n" +
			"Установлен ли КриптоПро ЭЦП Browser plug-in, есть ли расширение CryptoPro в каждом браузере и доступен ли ему native messaging host, добавлены ли сайты в доверенные узлы плагина; для Госуслуг — плагин Госуслуг. " +
			"Windows: файлы в Program Files\\Crypto Pro\\CAdES Browser Plug-in, регистрация CAdESCOM.CPSigner, версия из списка установленных программ (HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall), ключи NativeMessagingHosts, HKCU\\Software\\Crypto Pro\\CAdESplugin. " +
			"Linux: /opt/cprocsp/lib/<arch>/libnpcades.so, пакет cprocsp-pki-plugin, манифесты native-messaging-hosts, /etc/opt/cprocsp/config64.ini. " +
			"Настройки (где версия известна): min_version (нет), known_bad_versions (2.0.13642: подпись PKCS#7 падает с ошибкой 0x80070057).",
		"plugin.skip.not-needed":                "выбранным сайтам плагин не нужен",
		"plugin.summary.installed":              "установлен",
		"plugin.note.found-path":                "плагин: %s",
		"plugin.summary.missing":                "не установлен",
		"plugin.upgrade.hint":                   "Установите поверх текущего актуальный плагин с cryptopro.ru командами ниже",
		"plugin.too-old":                        "КриптоПро ЭЦП Browser plug-in %s старше заданного минимума %s (checks.plugin.min_version)",
		"plugin.known-problem-version":          "КриптоПро ЭЦП Browser plug-in %s — сборка с известной проблемой (checks.plugin.known_bad_versions): %s",
		"plugin.note.version-unknown":           "версия плагина неизвестна: не удалось прочитать список установленных программ (%s): %s",
		"plugin.summary":                        "версия %s",
		"plugin.not-installed":                  "КриптоПро ЭЦП Browser plug-in не установлен (искали: %s)",
		"plugin.note.found":                     "плагин (версия %s): %s",
		"plugin.library-missing":                "нет библиотеки %s, хотя пакет cprocsp-pki-plugin (%s) установлен — установка неполная",
		"plugin.install.hint.windows":           "Скачайте КриптоПро ЭЦП Browser plug-in (cadesplugin.exe) с cryptopro.ru и установите его командой ниже от имени администратора",
		"plugin.install.hint.linux":             "Скачайте архив КриптоПро ЭЦП Browser plug-in для Linux с cryptopro.ru и установите пакеты командами ниже",
		"plugin.note.no-browsers":               "браузеры, работающие с расширениями, не найдены",
		"plugin.note.no-profiles":               "%s установлен, но ещё ни разу не запускался: расширение проверить нельзя",
		"plugin.extension-missing":              "в браузере %s нет расширения CryptoPro ни в одном из профилей (всего профилей: %d; каталог %s; искали ID %s)",
		"plugin.extension-missing.hint":         "Откройте ссылку ниже в браузере %s и нажмите «Установить», затем включите расширение",
		"plugin.extension-missing.hint.firefox": "Откройте ссылку ниже в Firefox и разрешите установку расширения CryptoPro",
		"plugin.note.extension":                 "%s: расширение CryptoPro установлено",
		"plugin.native-host-missing":            "native messaging host %s не зарегистрирован для %s (искали: %s); расширение не сможет связаться с плагином",
		"plugin.native-host-missing.hint":       "Выполните команды ниже; если их нет или они не помогли — переустановите КриптоПро ЭЦП Browser plug-in",
		"plugin.native-host-broken":             "native messaging host %s для %s зарегистрирован (%s), но не работает: %s (программа: %s)",
		"plugin.note.native-host":               "native messaging host %s для %s: %s",
		"plugin.problem.no-manifest-path":       "в ключе не указан путь к манифесту",
		"plugin.problem.manifest-missing":       "нет файла манифеста %s",
		"plugin.problem.manifest-unreadable":    "манифест %s не прочитан: %s",
		"plugin.problem.exe-missing":            "нет указанной в манифесте программы",
		"plugin.note.trusted-sites-unknown":     "список доверенных узлов плагина в %s не найден (его расположение на Linux установлено не точно); проверьте его на странице настроек плагина",
		"plugin.note.trusted-sites-ok":          "в доверенных узлах плагина есть: %s",
		"plugin.site-not-trusted":               "сайтов нет в списке доверенных узлов плагина: %s (%s); при подписи будет появляться запрос «Подтверждение доступа»",
		"plugin.site-not-trusted.hint":          "Добавьте сайты в доверенные узлы командой ниже (она сохраняет уже внесённые адреса) или на странице «Настройки ЭЦП Browser Plug-in»",

		"check.ie-zones.title": "Надёжные сайты Internet Explorer",
		"check.ie-zones.doc": "Сайты в зоне «Надёжные сайты» IE и её настройки.\n" +
			"Входят ли сайты в зону «Надёжные сайты» Internet Explorer и разрешены ли в ней ActiveX, сценарии и всплывающие окна. " +
			"Ключи ZoneMap\\Domains и EscDomains в HKCU и HKLM, ZoneMapKey групповой политики, Security_HKLM_only, параметры Zones\\2 (политика важнее). " +
			"Настройка: actions — допустимые значения действий зоны 2 (по умолчанию обычные рекомендации поддержки, а не официальный список).",
		"ie-zones.skip.os":            "Internet Explorer есть только в Windows",
		"ie-zones.skip.not-needed":    "выбранным сайтам зона «Надёжные сайты» не нужна",
		"ie-zones.note.hklm-only":     "действует политика Security_HKLM_only: учитываются только настройки HKLM",
		"ie-zones.note.trusted":       "%s в зоне «Надёжные сайты» (%s)",
		"ie-zones.not-trusted":        "%s не входит в зону «Надёжные сайты» (искали в %s и в ZoneMapKey политики)",
		"ie-zones.not-trusted.hint":   "Добавьте %s в «Свойства браузера» → «Безопасность» → «Надёжные сайты» → «Сайты» или выполните команду ниже",
		"ie-zones.wrong-zone":         "%s отнесён к зоне %d, а не к «Надёжным сайтам» (2): %s",
		"ie-zones.summary":            "надёжных сайтов: %d из %d",
		"ie-zones.note.action-unset":  "параметр %s зоны «Надёжные сайты» не задан явно — действует значение Windows по умолчанию",
		"ie-zones.action":             "в зоне «Надёжные сайты» параметр %s («%s») = %d, нужно %s (%s)",
		"ie-zones.action.hint":        "Измените параметр %s: «Свойства браузера» → «Безопасность» → «Надёжные сайты» → «Другой…», или выполните команду ниже",
		"ie-zones.action.hint.policy": "Параметр %s задан групповой политикой: попросите администратора домена изменить политику (команда ниже подействует, только если политику снимут)",
		"ie-zones.action.1200":        "Запуск элементов ActiveX и модулей подключения",
		"ie-zones.action.1201":        "Использование элементов ActiveX, не помеченных как безопасные для использования",
		"ie-zones.action.1400":        "Активные сценарии",
		"ie-zones.action.1406":        "Доступ к источникам данных за пределами домена",
		"ie-zones.action.1809":        "Блокировать всплывающие окна",
		"ie-zones.action.2500":        "Включить защищённый режим",

		"check.capicom.title": "CAPICOM",
		"check.capicom.doc": "Установлена и зарегистрирована ли библиотека CAPICOM.\n" +
			"Без 32-разрядной CAPICOM старые страницы подписи пишут «Объект не поддерживает это свойство или метод». " +
			"Файл capicom.dll в SysWOW64 (64-разрядная Windows) или System32, ProgID CAPICOM.Utilities и CAPICOM.Store → CLSID → InprocServer32 в 32-разрядном представлении реестра.",
		"capicom.skip.os":              "CAPICOM есть только в Windows",
		"capicom.skip.not-needed":      "выбранным сайтам CAPICOM не нужен",
		"capicom.summary.missing":      "не установлен",
		"capicom.summary.unregistered": "не зарегистрирован",
		"capicom.summary.ok":           "установлен",
		"capicom.missing":              "нет файла %s",
		"capicom.missing.hint":         "Скачайте CAPICOM 2.1.0.2 с сайта Microsoft, скопируйте capicom.dll в %s и зарегистрируйте её командами ниже (командная строка от имени администратора)",
		"capicom.not-registered":       "CAPICOM не зарегистрирован: нет %s (%s), хотя файл %s есть",
		"capicom.register.hint":        "Зарегистрируйте capicom.dll командами ниже в командной строке от имени администратора",
		"capicom.server-missing":       "%s зарегистрирован (%s), но файла %s нет",
		"capicom.note.registered":      "%s: %s",

		"check.browser-cache.title": "Кэш браузеров",
		"check.browser-cache.doc": "Размер и возраст кэша браузеров; команда очистки для ГМУ.\n" +
			"Для ГМУ, где «Ошибка 400» при подписи обычно лечится очисткой кэша, — команда очистки. Ничего не удаляет. " +
			"INetCache Internet Explorer, кэш профилей Chrome, Chromium, Chromium-Gost, Яндекс Браузера, Edge и Firefox. " +
			"Настройки: max_size_mb (300), max_age_days (30), max_entries (20000 — сколько файлов смотреть в одном кэше).",
		"browser-cache.note.cache":     "%s, профиль %s: %s, файлов %d, старейшему %d дн. (%s)",
		"browser-cache.stale":          "кэш %s (профиль %s) — %s, старейшему файлу %d дн. (%s); пороги: %d МБ, %d дн. Устаревший кэш — вероятная причина «Ошибки 400» при подписи",
		"browser-cache.hint.ie":        "Очистите временные файлы Интернета: «Свойства браузера» → «Общие» → «Удалить…» или команда ниже",
		"browser-cache.hint.close":     "Закройте %s и удалите папку кэша командой ниже (или «Настройки» → «Конфиденциальность» → «Очистить историю» → «Изображения и файлы в кэше»)",
		"browser-cache.note.unread":    "%s: не прочитано: %s",
		"browser-cache.note.capped":    "%s: профилей больше, просмотрены первые %d",
		"browser-cache.note.no-advice": "выбранным сайтам очистка кэша не требуется — размеры только для сведения",
		"browser-cache.summary":        "всего %s, устаревших: %d",
		"browser-cache.size":           "%s МБ",
		"browser-cache.size.capped":    "не меньше %s МБ",

		"check.gost-tls-browser.title": "Браузер с ГОСТ-TLS",
		"check.gost-tls-browser.doc": "Есть ли браузер с TLS по ГОСТ (Chromium-Gost, Яндекс Браузер).\n" +
			"Без него сайты с ГОСТ-TLS (ФЗС) не открываются. " +
			"Windows: папки установки в Program Files и %LOCALAPPDATA%; Linux: /opt/chromium-gost, /usr/bin/chromium-gost, /opt/yandex/browser.",
		"gost-tls-browser.skip.not-needed": "выбранным сайтам ГОСТ-TLS не нужен",
		"gost-tls-browser.note.found":      "%s: %s",
		"gost-tls-browser.note.data-only":  "найдены данные %s (%s), но не программа — вероятно, установлен в нестандартное место",
		"gost-tls-browser.summary":         "%s",
		"gost-tls-browser.summary.none":    "нет",
		"gost-tls-browser.missing":         "нет браузера с ГОСТ-TLS, а он нужен для %s; установленные браузеры: %s (Chrome, Edge и Firefox сайты с ГОСТ-TLS не открывают: ERR_SSL_VERSION_OR_CIPHER_MISMATCH)",
		"gost-tls-browser.no-browsers":     "не найдены",
		"gost-tls-browser.missing.hint":    "Установите Chromium-Gost (ссылка ниже, команда для этой системы) или Яндекс Браузер (%s)",
	}
}
