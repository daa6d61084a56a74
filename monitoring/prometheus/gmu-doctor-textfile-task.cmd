@echo off
rem Creates the hourly scheduled task that writes gmu-doctor metrics for
rem windows_exporter's textfile collector (default folder
rem C:\Program Files\windows_exporter\textfile_inputs). Run once as
rem Administrator, naming the user who signs (the task runs as that user,
rem who is given write access to the collector's folder):
rem   gmu-doctor-textfile-task.cmd BUH\ivanova
set RUNAS=%~1
if "%RUNAS%"=="" (echo Usage: %~nx0 DOMAIN\user& exit /b 2)
set OUT=C:\Program Files\windows_exporter\textfile_inputs
if not exist "%ProgramData%\gmu-doctor" mkdir "%ProgramData%\gmu-doctor"
icacls "%OUT%" /grant "%RUNAS%:(OI)(CI)M" >nul
> "%ProgramData%\gmu-doctor\prom.cmd" echo @"C:\Program Files\gmu-doctor\gmu-doctor.exe" check --format prometheus --lang en ^> "%OUT%\gmu_doctor.prom.tmp"
>> "%ProgramData%\gmu-doctor\prom.cmd" echo @move /Y "%OUT%\gmu_doctor.prom.tmp" "%OUT%\gmu_doctor.prom" ^>nul
schtasks /Create /F /TN "gmu-doctor metrics" /SC HOURLY /RU "%RUNAS%" /RP * /TR "\"%ProgramData%\gmu-doctor\prom.cmd\""
