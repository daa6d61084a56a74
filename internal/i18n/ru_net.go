package i18n

// Сообщения о сети: --offline, общий лимит времени, строка хода работы,
// проверка отзыва и AIA.
func init() {
	add(RU, map[string]string{
		"cli.config.key.offline":    "true: не обращаться к сети; сетевые проверки (отзыв, сайты, AIA) пропускаются.",
		"cli.config.key.net_budget": "Общее время на всю работу с сетью за один запуск, например 30s.",
		"cli.config.key.net":        "Сеть: proxy заменяет прокси компьютера (URL или direct); resolve направляет имя узла на другой адрес (ip или ip:port).",
		"cli.flag.offline":          "не обращаться к сети: пропустить сетевые проверки (также offline: true или GMU_DOCTOR_OFFLINE=1)",
		"cli.flag.net-budget":       "общее время на всю работу с сетью, например 30s (по умолчанию 20s)",
		"cli.progress.net":          "сеть:",
	})
}
