package dev.mirrordts.jetbrains

import com.intellij.openapi.actionSystem.ActionUpdateThread
import com.intellij.openapi.actionSystem.AnActionEvent
import com.intellij.openapi.actionSystem.ToggleAction

/** The run toolbar's toggle (ToolbarRunGroup; the new UI's MainToolbarRight): mirror the next runs of this project. */
class MirrordToggleAction : ToggleAction() {
    override fun isSelected(e: AnActionEvent): Boolean = Mirrord.isEnabled(e.project?.basePath)

    override fun setSelected(e: AnActionEvent, state: Boolean) = Mirrord.setEnabled(e.project?.basePath, state)

    override fun getActionUpdateThread(): ActionUpdateThread = ActionUpdateThread.BGT
}
