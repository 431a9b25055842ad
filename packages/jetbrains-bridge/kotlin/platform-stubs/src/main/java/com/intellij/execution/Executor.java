// Signature stub, checked against intellij-community platform/execution/src/com/intellij/execution/Executor.java
// (`public abstract @NotNull @NonNls String getId()`).
package com.intellij.execution;

public abstract class Executor {
  public abstract String getId();
}
