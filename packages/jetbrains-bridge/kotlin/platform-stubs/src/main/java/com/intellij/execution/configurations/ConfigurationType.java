// Signature stub, checked against intellij-community platform/execution/src/com/intellij/execution/configurations/ConfigurationType.java
// (`@NotNull String getDisplayName()`, `@NotNull @NonNls String getId()`).
package com.intellij.execution.configurations;

public interface ConfigurationType {
  String getDisplayName();
  String getId();
}
