#pragma once
/// How the lab's figures look, apart from what they show.

namespace genlab::ui {

/// How figures look: the normal style for the screen and papers, and a presentation style for a
/// projector (large text, thick lines, strong contrast, readable from the back of a room).
struct FigureStyle {
  double fontPointSize = 10;  ///< axis labels, tick labels, legend
  double lineWidth = 2;       ///< curves, in pixels at scale 1
  /// Presentation: black axes and text, a darker and thicker grid, fully saturated run colours,
  /// a white background whatever the desktop theme.
  bool highContrast = false;
  /// The loss figure's y axis logarithmic, as the window's "log-scale loss" shows it (exports
  /// and the clipboard draw what the window shows). Other figures stay linear.
  bool logScaleLoss = false;
  /// A legend above the axes, outside them, so that it never hides a curve. The window's loss
  /// and accuracy panels leave it out: one shared legend bar above all plots names the runs.
  bool legend = true;

  /// 20 pt text, 4 px lines, high contrast.
  static FigureStyle presentation() { return {20, 4, true}; }

  bool operator==(const FigureStyle&) const = default;
};

} // namespace genlab::ui
