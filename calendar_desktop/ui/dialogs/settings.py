"""The Settings dialog: edits a copy of ``Settings``; the caller saves it through the service."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from calendar_desktop.settings import ConflictPolicy, Settings
from calendar_desktop.ui.context import translator
from calendar_desktop.ui.dialogs.fields import enum_combo, enum_value

tr = translator("SettingsDialog")

CONFLICT_TEXT = {
    ConflictPolicy.ASK: "Ask me",
    ConflictPolicy.LAST_UPDATED_WINS: "The most recent change wins",
    ConflictPolicy.CALENDAR_WINS: "The calendar's version wins",
    ConflictPolicy.APP_WINS: "calendar-desktop's version wins",
}


def _check(text: str, checked: bool, name: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setChecked(checked)
    box.setAccessibleName(name)
    return box


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, *, start_at_login_supported: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self.setObjectName("settings-dialog")
        self._original = settings
        form = QFormLayout(self)

        self.poll_interval = QSpinBox()
        self.poll_interval.setRange(1, 24 * 60)
        self.poll_interval.setSuffix(tr(" minutes"))
        self.poll_interval.setValue(settings.poll_interval_minutes)
        self.poll_interval.setAccessibleName(tr("Check for changes every"))
        self.sync_on_startup = _check(tr("Sync when the app &starts"), settings.sync_on_startup, tr("Sync on start-up"))
        self.auto_apply = _check(
            tr("Apply interview &reschedules without asking"),
            settings.auto_apply_reschedules,
            tr("Auto-apply reschedules"),
        )
        self.auto_apply.setToolTip(tr("You are still told about each change; cancellations always ask."))
        self.notifications = _check(
            tr("Show &notifications for new suggestions"), settings.notifications, tr("Notifications")
        )
        self.start_at_login = _check(tr("Start at &login"), settings.start_at_login, tr("Start at login"))
        self.start_at_login.setEnabled(start_at_login_supported)
        self.keep_descriptions = _check(
            tr("Keep event &descriptions on this computer"), settings.keep_descriptions, tr("Keep event descriptions")
        )
        self.keep_descriptions.setToolTip(
            tr("Off: descriptions are read once to spot interviews and never stored. Applies to events synced from now on.")
        )
        self.conflict_policy = enum_combo(
            ConflictPolicy,
            settings.conflict_policy,
            tr("When an interview was changed in both places"),
            {policy: tr(text) for policy, text in CONFLICT_TEXT.items()},
        )

        form.addRow(tr("Check for changes &every"), self.poll_interval)
        form.addRow(self.sync_on_startup)
        form.addRow(self.auto_apply)
        form.addRow(self.notifications)
        form.addRow(self.start_at_login)
        form.addRow(self.keep_descriptions)
        form.addRow(tr("When an interview changed in &both places"), self.conflict_policy)
        note = QLabel(tr("Interviews you schedule in the app are written to the calendar chosen in Accounts."))
        note.setWordWrap(True)
        form.addRow(note)
        self._add_service_fields(form, settings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _add_service_fields(self, form: QFormLayout, settings: Settings) -> None:
        """Your own OAuth clients (Google, Microsoft): see docs/providers/*.md for how to create them."""
        heading = QLabel(tr("<b>Calendar services</b> (needed once, before connecting Google or Microsoft)"))
        form.addRow(heading)
        self.google_client_id = QLineEdit(settings.google_client_id)
        self.google_client_id.setAccessibleName(tr("Google client ID"))
        self.google_client_secret = QLineEdit()
        self.google_client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.google_client_secret.setPlaceholderText(tr("kept in your system keyring; leave empty to keep it"))
        self.google_client_secret.setAccessibleName(tr("Google client secret"))
        load = QPushButton(tr("&Load client_secret.json…"))
        load.setAccessibleName(tr("Load Google client file"))
        load.clicked.connect(self._load_client_file)
        row = QHBoxLayout()
        row.addWidget(self.google_client_secret)
        row.addWidget(load)
        self.microsoft_client_id = QLineEdit(settings.microsoft_client_id)
        self.microsoft_client_id.setAccessibleName(tr("Microsoft client ID"))
        self.microsoft_authority = QLineEdit(settings.microsoft_authority)
        self.microsoft_authority.setPlaceholderText("https://login.microsoftonline.com/common")
        self.microsoft_authority.setAccessibleName(tr("Microsoft authority"))
        form.addRow(tr("Google client &ID"), self.google_client_id)
        form.addRow(tr("Google client s&ecret"), row)
        form.addRow(tr("Microsoft client I&D"), self.microsoft_client_id)
        form.addRow(tr("Microsoft &authority"), self.microsoft_authority)

    def _load_client_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("Google client file"), "", "JSON (*.json)")
        if path:
            self.load_client_file(path)

    def load_client_file(self, path: str) -> None:
        from calendar_desktop.providers.errors import ProviderUnavailable
        from calendar_desktop.providers.google import load_client_secrets_file

        try:
            client = load_client_secrets_file(path)
        except ProviderUnavailable as exc:
            self.google_client_secret.setToolTip(str(exc))
            self.google_client_secret.setPlaceholderText(tr("That file is not a Desktop-app client_secret.json"))
            return
        self.google_client_id.setText(client.client_id)
        self.google_client_secret.setText(client.client_secret)

    def google_client_secret_change(self) -> str | None:
        """A newly typed (or loaded) Google client secret, for the keyring; None when unchanged."""
        return self.google_client_secret.text().strip() or None

    def changes(self) -> dict[str, object]:
        """Only the fields the user changed (what ``AppService.update_settings`` takes)."""
        values: dict[str, object] = {
            "poll_interval_minutes": self.poll_interval.value(),
            "sync_on_startup": self.sync_on_startup.isChecked(),
            "auto_apply_reschedules": self.auto_apply.isChecked(),
            "notifications": self.notifications.isChecked(),
            "start_at_login": self.start_at_login.isChecked(),
            "keep_descriptions": self.keep_descriptions.isChecked(),
            "conflict_policy": enum_value(self.conflict_policy, ConflictPolicy),
            "google_client_id": self.google_client_id.text().strip(),
            "microsoft_client_id": self.microsoft_client_id.text().strip(),
            "microsoft_authority": self.microsoft_authority.text().strip(),
        }
        return {k: v for k, v in values.items() if getattr(self._original, k) != v}
