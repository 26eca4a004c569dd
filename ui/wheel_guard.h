#pragma once
/// Spin boxes, combo boxes and sliders of a form take the mouse wheel only while they have the
/// keyboard focus: scrolling the form over them scrolls the form, it does not change values.

#include <QObject>

class QWidget;

namespace genlab::ui {

class WheelGuard : public QObject {
  Q_OBJECT

public:
  /// Guards every spin box, combo box and slider inside `form` (present now), and gives them
  /// focus on a click or Tab rather than on the wheel.
  static void install(QWidget* form);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  using QObject::QObject;
};

} // namespace genlab::ui
