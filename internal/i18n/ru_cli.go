package i18n

func init() { add(RU, ruCli) }

func ruCli() map[string]string {
	return map[string]string{
		"cli.root.short": "Диагностика рабочего места для подписи на ГМУ, ЕИС, ФЗС и Госуслугах",
		"cli.root.long": "gmu-doctor проверяет, почему рабочее место не может подписать документ на bus.gov.ru (ГМУ),\n" +
			"zakupki.gov.ru (ЕИС), lk-fzs.roskazna.ru (ФЗС) и gosuslugi.ru (ЕПГУ), и под каждой проблемой\n" +
			"показывает, как её исправить, с точной командой для этой ОС. Ничего на компьютере не меняет.\n\n" +
			"Начните с: gmu-doctor check",

		"cli.check.short": "Проверить рабочее место (или снимок) и показать, что исправить",
		"cli.check.long": "Запускает проверки по порядку и печатает по строке на проверку: [✓] в порядке, [!] предупреждение,\n" +
			"[✗] ошибка, [?] не удалось выполнить, [-] пропущена. Под каждой проблемой — что сделать и точная команда.\n\n" +
			"Без аргументов выполняются все проверки; можно назвать нужные по ID (список: gmu-doctor list),\n" +
			"проверки, от которых они зависят, добавятся сами.\n\n" +
			"Код завершения: 0 — проблем нет (предупреждения допустимы), 1 — есть проблемы (с --strict и\n" +
			"предупреждения), 2 — ошибка в параметрах, файле настроек или снимке.",
		"cli.check.example": "  gmu-doctor check\n" +
			"  gmu-doctor check clock --lang en\n" +
			"  gmu-doctor check --site gmu,eis --format json\n" +
			"  gmu-doctor check --snapshot workstation.json -v",

		"cli.list.short":     "Показать список проверок",
		"cli.list.col-id":    "ID",
		"cli.list.col-title": "НАЗВАНИЕ",
		"cli.list.col-os":    "ОС",
		"cli.list.col-doc":   "ЧТО ПРОВЕРЯЕТ",
		"cli.list.all-os":    "все",

		"cli.collect.short": "Записать снимок рабочего места в JSON для разбора на другом компьютере",
		"cli.collect.long": "Выполняет все проверки на этом компьютере и записывает всё, что они прочитали (хранилища\n" +
			"сертификатов без закрытых ключей, ключи реестра, файлы, вывод команд), в JSON-снимок.\n" +
			"Снимок разбирают в службе поддержки: gmu-doctor check --snapshot ФАЙЛ.\n" +
			"Снимок содержит сертификаты пользователя с персональными данными: передавайте его только своей службе поддержки.",
		"cli.collect.example": "  gmu-doctor collect -o %COMPUTERNAME%.json\n" +
			"  gmu-doctor collect -o - > snapshot.json",
		"cli.collect.done":   "Снимок записан в %s: проверок %d, хранилищ сертификатов %d, сертификатов %d, ключей реестра %d, файлов %d, команд %d.",
		"cli.collect.stdout": "стандартный вывод",

		"cli.version.short":  "Показать версию программы",
		"cli.version.commit": "коммит:",
		"cli.version.date":   "собрана:",
		"cli.version.go":     "Go:",

		"cli.config.short":         "Работа с файлом настроек",
		"cli.config.example.short": "Напечатать пример файла настроек со всеми параметрами и их значениями по умолчанию",
		"cli.config.path.short":    "Показать, где gmu-doctor ищет файл настроек",
		"cli.config.header": "Файл настроек gmu-doctor (YAML). По умолчанию читается %s,\n" +
			"другой файл: --config ФАЙЛ. Переменные окружения %s_<ПАРАМЕТР> (например GMU_DOCTOR_LANG=en)\n" +
			"переопределяют файл, параметры командной строки — и то и другое.",
		"cli.config.key.lang":          "Язык отчёта: ru или en (по умолчанию — по LANG: en*, иначе ru).",
		"cli.config.key.site":          "Для каких сайтов проверять: gmu, eis, fzs, epgu через запятую или all.",
		"cli.config.key.format":        "Формат отчёта: text, json или prometheus.",
		"cli.config.key.strict":        "true — предупреждения тоже дают код завершения 1.",
		"cli.config.key.timeout":       "Предел времени на одну проверку, например 30s; 0s — у каждой проверки свой.",
		"cli.config.key.show_personal": "true — не маскировать СНИЛС и ИНН физического лица в отчёте.",
		"cli.config.key.tsl":           "Путь к XML-списку аккредитованных УЦ (TSL), если он скачан заранее.",
		"cli.config.key.root":          "Linux: считать этот каталог корнем файловой системы (смонтированный диск другой машины).",
		"cli.config.key.user":          "Linux: проверять хранилища и домашний каталог этого пользователя.",
		"cli.config.key.at":            "Считать текущим этот момент (2025-12-01 или RFC 3339) вместо часов компьютера; пусто — часы компьютера.",
		"cli.config.key.sites":         "Уточнения профилей сайтов (%s): любые поля профиля, например требуемые OID.",
		"cli.config.key.checks":        "Настройки проверок: раздел на проверку, значения ниже — по умолчанию.",

		"cli.flag.lang":            "язык отчёта: ru или en",
		"cli.flag.config":          "файл настроек (YAML)",
		"cli.flag.no-color":        "не раскрашивать вывод",
		"cli.flag.help":            "показать справку",
		"cli.flag.skip":            "не выполнять эти проверки (ID через запятую)",
		"cli.flag.site":            "сайты: gmu, eis, fzs, epgu или all",
		"cli.flag.snapshot":        "проверить снимок (gmu-doctor collect) вместо этого компьютера",
		"cli.flag.format-check":    "формат: text, json, prometheus или nagios",
		"cli.flag.format-list":     "формат: text или json",
		"cli.flag.strict":          "считать предупреждения проблемами (код завершения 1)",
		"cli.flag.timeout":         "предел времени на одну проверку, например 30s",
		"cli.flag.verbose":         "подробно: пояснения и время каждой проверки",
		"cli.flag.root":            "Linux: корень файловой системы для проверки (смонтированный диск)",
		"cli.flag.user":            "Linux: проверить хранилища другого пользователя",
		"cli.flag.at":              "считать текущим этот момент (2025-12-01 или RFC 3339): что истечёт к этой дате; без флага — часы компьютера",
		"cli.flag.show-personal":   "не маскировать СНИЛС и ИНН физического лица",
		"cli.flag.tsl":             "XML-список аккредитованных УЦ (TSL)",
		"cli.flag.format-list-lld": "формат: text, json или zabbix-lld (низкоуровневое обнаружение Zabbix)",
		"cli.flag.output":          "куда записать снимок; - — в стандартный вывод",

		"cli.help.usage":        "Использование:",
		"cli.help.aliases":      "Псевдонимы:",
		"cli.help.examples":     "Примеры:",
		"cli.help.commands":     "Команды:",
		"cli.help.additional":   "Дополнительные команды:",
		"cli.help.global-flags": "Общие параметры:",
		"cli.help.flags":        "Параметры:",
		"cli.help.topics":       "Дополнительные разделы справки:",
		"cli.help.more":         "Справка по команде: %s",
		"cli.help.cmd-short":    "Справка по любой команде",

		"cli.error.usage":          "ошибка в командной строке: %s",
		"cli.error.help-hint":      "справка: %s",
		"cli.error.flag":           "неверный параметр: %s",
		"cli.error.flag-value":     "неверное значение %s: %s",
		"cli.error.lang":           "неизвестный язык %q: допустимы ru и en",
		"cli.error.format":         "неизвестный формат %q: допустимы %s",
		"cli.error.unknown-id":     "неизвестная проверка %s; есть такие: %s",
		"cli.error.config":         "ошибка в настройках (%s): %s",
		"cli.error.config-read":    "не удалось прочитать файл настроек %s: %s",
		"cli.error.snapshot":       "не удалось прочитать снимок: %s",
		"cli.error.live":           "не удалось открыть этот компьютер для проверки: %s",
		"cli.error.output":         "не удалось записать %s: %s",
		"cli.error.output-missing": "не указан файл для снимка: -o ФАЙЛ (или -o - для стандартного вывода)",
	}
}
