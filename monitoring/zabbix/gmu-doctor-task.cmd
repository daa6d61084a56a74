@echo off
rem Creates the hourly scheduled task that writes the gmu-doctor report for
rem the Zabbix agent (Way 1 of userparameter_gmu_doctor_windows.conf).
rem Run once as Administrator, naming the user who signs (the task runs as
rem that user and asks for their password):
rem   gmu-doctor-task.cmd BUH\ivanova
set RUNAS=%~1
if "%RUNAS%"=="" (echo Usage: %~nx0 DOMAIN\user& exit /b 2)
set DIR=C:\ProgramData\gmu-doctor
if not exist "%DIR%" mkdir "%DIR%"
icacls "%DIR%" /grant "%RUNAS%:(OI)(CI)M" >nul
rem The report goes to a temporary file first: the agent never reads half a report.
> "%DIR%\run.cmd" echo @"C:\Program Files\gmu-doctor\gmu-doctor.exe" check --format json --lang en ^> "%DIR%\report.json.tmp"
>> "%DIR%\run.cmd" echo @move /Y "%DIR%\report.json.tmp" "%DIR%\report.json" ^>nul
schtasks /Create /F /TN "gmu-doctor report" /SC HOURLY /RU "%RUNAS%" /RP * /TR "\"%DIR%\run.cmd\""
