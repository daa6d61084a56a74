package i18n

func init() { add(RU, ruExplain) }

func ruExplain() map[string]string {
	return map[string]string{
		"cli.explain.short": "Объяснить сообщение об ошибке или код и найти причину на этом компьютере",
		"cli.explain.long": "Находит сообщение или код ошибки (0x800B010A, «Произошла внутренняя ошибка в цепочке сертификатов»,\n" +
			"«Объект не поддерживает это свойство или метод», HTTP 400 …) в базе знаний, объясняет причину,\n" +
			"затем запускает связанные проверки на этом компьютере (или на снимке --snapshot) и показывает\n" +
			"исправление, которое подходит именно здесь.\n\n" +
			"Регистр, кавычки, лишний текст вокруг и форма кода (0x…, десятичная со знаком или без) не важны;\n" +
			"отрицательный код можно писать без «--»: gmu-doctor explain -2146762486.\n" +
			"Код выхода: 0 причина на компьютере не найдена, 1 найдены проблемы или текст не распознан, 2 ошибка в аргументах.",
		"cli.explain.example": "  gmu-doctor explain \"Произошла внутренняя ошибка в цепочке сертификатов\"\n" +
			"  gmu-doctor explain 0x800B010A --snapshot workstation.json\n" +
			"  gmu-doctor explain \"пользователь заблокирован\" --support\n" +
			"  gmu-doctor explain --list",
		"cli.explain.flag-list":        "показать все записи базы знаний",
		"cli.explain.flag-support":     "напечатать текст для обращения в техподдержку",
		"cli.explain.flag-format":      "формат вывода: text или json",
		"cli.explain.no-input":         "укажите текст ошибки или её код, например: gmu-doctor explain 0x800B010A",
		"cli.explain.unknown":          "Сообщение «%s» не найдено в базе знаний.",
		"cli.explain.unknown-hint":     "Посмотрите известные ошибки: gmu-doctor explain --list; или проверьте всё рабочее место: gmu-doctor check",
		"cli.explain.recognised":       "Распознано: %s",
		"cli.explain.cause":            "Причина: %s",
		"cli.explain.checks":           "Проверки: %s",
		"cli.explain.source":           "Источник: %s (%s)",
		"cli.explain.confidence-v":     "подтверждено источником",
		"cli.explain.confidence-i":     "вывод, не подтверждённый напрямую",
		"cli.explain.running":          "Проверяю на этом рабочем месте: %s",
		"cli.explain.no-cause-here":    "Связанные проверки не нашли причины на этом рабочем месте.",
		"cli.explain.generic-fix":      "Обычно помогает: %s",
		"cli.explain.support-contacts": "Если рабочее место в порядке, обратитесь в поддержку: %s, %s.",
		"cli.explain.support-header":   "--- Обращение в техподдержку (сформировано gmu-doctor) ---",
		"cli.explain.support-error":    "Текст ошибки: %s",
		"cli.explain.support-match":    "Распознано как: %s %s — %s",
		"cli.explain.support-host":     "Компьютер: %s, ОС: %s, %s",
		"cli.explain.support-time":     "Время на рабочем месте: %s, gmu-doctor %s (%s)",
		"cli.explain.noise":            "Это сообщение безвредно: его можно не искать и ничего из-за него не исправлять.",
		"cli.explain.codes":            "Код: %s",
	}
}
