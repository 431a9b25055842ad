// Signature stub, checked against intellij-community platform/platform-api/src/com/intellij/openapi/actionSystem/ToggleAction.java
// (also `implements Toggleable` there, which ide-glue does not use).
package com.intellij.openapi.actionSystem;

import javax.swing.Icon;

public abstract class ToggleAction extends AnAction {
  public ToggleAction() { throw new UnsupportedOperationException("stub"); }
  public ToggleAction(String text) { throw new UnsupportedOperationException("stub"); }
  public ToggleAction(String text, String description, Icon icon) { throw new UnsupportedOperationException("stub"); }
  @Override public final void actionPerformed(AnActionEvent e) { throw new UnsupportedOperationException("stub"); }
  public abstract boolean isSelected(AnActionEvent e);
  public abstract void setSelected(AnActionEvent e, boolean state);
  @Override public void update(AnActionEvent e) { throw new UnsupportedOperationException("stub"); }
}
