#include "ui/wheel_guard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace genlab::ui {

void WheelGuard::install(QWidget* form) {
  auto* guard = new WheelGuard(form);
  const auto watch = [guard](QWidget* field) {
    field->setFocusPolicy(Qt::StrongFocus);
    field->installEventFilter(guard);
  };
  for (auto* field : form->findChildren<QAbstractSpinBox*>()) watch(field);
  for (auto* field : form->findChildren<QComboBox*>()) watch(field);
  for (auto* field : form->findChildren<QAbstractSlider*>()) watch(field);
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::Wheel) return false;
  auto* field = static_cast<QWidget*>(watched);
  if (field->hasFocus()) return false;
  // Not for this field: ignored, the wheel goes on to its parents (the form's scroll area).
  event->ignore();
  return true;
}

} // namespace genlab::ui
