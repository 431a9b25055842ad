// Signature stub (only what ide-glue uses), checked against intellij-community
// platform/editor-ui-api/src/com/intellij/openapi/actionSystem/AnAction.java
// (constructors, `public abstract void actionPerformed(@NotNull AnActionEvent e)`, `update`,
// `getActionUpdateThread` from ActionUpdateThreadAware.java in the same folder).
package com.intellij.openapi.actionSystem;

import javax.swing.Icon;

public abstract class AnAction {
  public AnAction() { throw new UnsupportedOperationException("stub"); }
  public AnAction(String text) { throw new UnsupportedOperationException("stub"); }
  public AnAction(String text, String description, Icon icon) { throw new UnsupportedOperationException("stub"); }
  public abstract void actionPerformed(AnActionEvent e);
  public void update(AnActionEvent e) { throw new UnsupportedOperationException("stub"); }
  public ActionUpdateThread getActionUpdateThread() { throw new UnsupportedOperationException("stub"); }
}
