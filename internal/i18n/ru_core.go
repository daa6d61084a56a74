package i18n

func init() { add(RU, ruCore) }

func ruCore() map[string]string {
	return map[string]string{
		"doctor.skip.os":               "не применяется в %s",
		"doctor.skip.offline":          "сетевые проверки отключены (--offline, offline: true или GMU_DOCTOR_OFFLINE)",
		"doctor.skip.requires":         "нужна проверка %s, а она завершилась со статусом %s",
		"doctor.skip.requires-not-run": "нужна проверка %s, а она не запускалась",
		"doctor.error.config":          "ошибка в настройках проверки: %s",
		"doctor.error.panic":           "внутренняя ошибка проверки (panic): %s",
		"doctor.error.timeout":         "не завершилась за %s",
		"doctor.error.canceled":        "прервана",
		"doctor.error.run":             "не удалось выполнить: %s",
	}
}
