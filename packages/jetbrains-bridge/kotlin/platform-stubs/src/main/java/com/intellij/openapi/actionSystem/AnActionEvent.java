// Signature stub, checked against intellij-community platform/editor-ui-api/src/com/intellij/openapi/actionSystem/AnActionEvent.java
// (`public final @Nullable Project getProject()`).
package com.intellij.openapi.actionSystem;

import com.intellij.openapi.project.Project;

public class AnActionEvent {
  private AnActionEvent() {}
  public final Project getProject() { throw new UnsupportedOperationException("stub"); }
}
